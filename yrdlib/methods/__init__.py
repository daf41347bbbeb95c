"""Evidence methods: staggered DiD, convergence, gravity, co-movement, composite index, Zipf,
distance decay; design-based inference (wild cluster bootstrap, randomization inference),
sensitivity bounds, Callaway–Sant'Anna and synthetic control. Each function takes a plain
pandas DataFrame plus column names and raises
:class:`MethodError` (a ``ValueError``) when the data cannot support it, never a silent NaN."""

from yrdlib.methods._common import MethodError
from yrdlib.methods.comovement import ComovementResult, comovement
from yrdlib.methods.composite import (
    CompositeResult,
    composite_index,
    entropy_weights,
    minmax_normalise,
    pca_weights,
    rank_sensitivity,
)
from yrdlib.methods.convergence import (
    BetaResult,
    SigmaResult,
    beta_convergence,
    beta_convergence_panel,
    sigma_convergence,
)
from yrdlib.methods.cs import CSResult, callaway_santanna
from yrdlib.methods.did import (
    DiDResult,
    estimate_did,
    permutation_placebo,
    placebo_shift,
    plot_event_study,
)
from yrdlib.methods.distance_decay import DecayResult, distance_decay
from yrdlib.methods.gravity import gravity_linkage, gravity_shares, haversine_km, pairwise_distances
from yrdlib.methods.honest import honest_bounds
from yrdlib.methods.inference import (
    imputation_did,
    randomization_inference,
    wild_cluster_bootstrap,
)
from yrdlib.methods.synth import SynthResult, synthetic_control, synthetic_did
from yrdlib.methods.trend import Trend, time_trend
from yrdlib.methods.zipf import ZipfResult, zipf_by_year, zipf_exponent

__all__ = [
    "BetaResult",
    "CSResult",
    "ComovementResult",
    "CompositeResult",
    "DecayResult",
    "DiDResult",
    "MethodError",
    "SigmaResult",
    "SynthResult",
    "Trend",
    "ZipfResult",
    "beta_convergence",
    "beta_convergence_panel",
    "callaway_santanna",
    "comovement",
    "composite_index",
    "distance_decay",
    "entropy_weights",
    "estimate_did",
    "gravity_linkage",
    "gravity_shares",
    "haversine_km",
    "honest_bounds",
    "imputation_did",
    "minmax_normalise",
    "pairwise_distances",
    "pca_weights",
    "permutation_placebo",
    "placebo_shift",
    "plot_event_study",
    "randomization_inference",
    "rank_sensitivity",
    "sigma_convergence",
    "synthetic_control",
    "synthetic_did",
    "time_trend",
    "wild_cluster_bootstrap",
    "zipf_by_year",
    "zipf_exponent",
]
