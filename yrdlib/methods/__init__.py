"""Evidence methods: staggered DiD, convergence, gravity, co-movement, composite index, Zipf,
distance decay; design-based inference (wild cluster bootstrap, randomization inference),
sensitivity bounds, Callaway–Sant'Anna and synthetic control. Each function takes a plain
pandas DataFrame plus column names and raises
:class:`MethodError` (a ``ValueError``) when the data cannot support it, never a silent NaN."""

# Lazy (PEP 562): a kernel imports only the methods it uses, so `from yrdlib.methods import
# time_trend` does not pull in statsmodels' full API, pyfixest or scipy.optimize. The map below
# is the public API; `__all__` and dir() list it.
import importlib

from yrdlib.methods._common import MethodError

_WHERE = {
    "BetaResult": "convergence",
    "CSResult": "cs",
    "ComovementResult": "comovement",
    "CompositeResult": "composite",
    "DecayResult": "distance_decay",
    "DiDResult": "did",
    "MethodError": "_common",
    "SigmaResult": "convergence",
    "SynthResult": "synth",
    "Trend": "trend",
    "ZipfResult": "zipf",
    "beta_convergence": "convergence",
    "beta_convergence_panel": "convergence",
    "callaway_santanna": "cs",
    "comovement": "comovement",
    "composite_index": "composite",
    "distance_decay": "distance_decay",
    "entropy_weights": "composite",
    "estimate_did": "did",
    "gravity_linkage": "gravity",
    "gravity_shares": "gravity",
    "haversine_km": "gravity",
    "honest_bounds": "honest",
    "imputation_did": "inference",
    "minmax_normalise": "composite",
    "pairwise_distances": "gravity",
    "pca_weights": "composite",
    "permutation_placebo": "did",
    "placebo_shift": "did",
    "plot_event_study": "did",
    "randomization_inference": "inference",
    "rank_sensitivity": "composite",
    "sigma_convergence": "convergence",
    "penalized_synth": "synth",
    "penalized_weights": "synth",
    "synthetic_control": "synth",
    "synthetic_did": "synth",
    "time_trend": "trend",
    "wild_cluster_bootstrap": "inference",
    "zipf_by_year": "zipf",
    "zipf_exponent": "zipf",
}
__all__ = ["MethodError", *sorted(_WHERE)]


def __getattr__(name: str):
    mod = _WHERE.get(name)
    if mod is None:
        raise AttributeError(f"module 'yrdlib.methods' has no attribute {name!r}")
    value = getattr(importlib.import_module(f"yrdlib.methods.{mod}"), name)
    globals()[name] = value
    return value


def __dir__():
    return __all__
