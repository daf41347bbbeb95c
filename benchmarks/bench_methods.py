"""Timings of the evidence methods on simulated national-size data (not a test).

Run: .venv/bin/python benchmarks/bench_methods.py
The target is: event study (robust estimator + TWFE), one outcome, ~300 cities × 24 years < 2 s.
The pooled inference (wild bootstrap, randomization inference, bounds) runs once per data
version, outcome and specification (yrdlib.memo); its cold cost and the cost of a cache hit are
listed at the end.
"""

from __future__ import annotations

import platform
import resource
import tempfile
import time
import tracemalloc
import warnings

import numpy as np

warnings.filterwarnings("ignore")


def timeit(fn, repeat=3):
    fn()  # warm-up (numba JIT in pyfixest, imports)
    ts = []
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        ts.append(time.perf_counter() - t)
    return min(ts), float(np.median(ts))


def peak_mb(fn):
    tracemalloc.start()
    fn()
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return peak / 2**20


def main():
    t0 = time.perf_counter()
    from yrdlib import memo
    from yrdlib.methods import (
        beta_convergence,
        callaway_santanna,
        comovement,
        composite_index,
        distance_decay,
        estimate_did,
        gravity_linkage,
        honest_bounds,
        imputation_did,
        placebo_shift,
        randomization_inference,
        rank_sensitivity,
        sigma_convergence,
        synthetic_control,
        synthetic_did,
        wild_cluster_bootstrap,
        zipf_by_year,
    )
    from yrdlib.methods.simulate import (
        simulate_clustered_panel,
        simulate_convergence_panel,
        simulate_distance_decay,
        simulate_factor_panel,
        simulate_pareto_sizes,
        simulate_staggered_panel,
    )
    import_s = time.perf_counter() - t0

    panel = simulate_staggered_panel(n_units=300, years=range(1998, 2022),
                                     effect=lambda k, g: 0.5 + 0.1 * k, seed=0)
    t = time.perf_counter()
    estimate_did(panel, "y", estimator="did2s")
    first_call = time.perf_counter() - t

    jobs = {
        "DiD did2s (robust, ATT + event study + pre-trend)": lambda: estimate_did(panel, "y"),
        "DiD Sun-Abraham (robust, never-treated)": lambda: estimate_did(
            panel, "y", estimator="sunab", control_group="never"),
        "DiD TWFE (ATT + event study)": lambda: estimate_did(panel, "y", estimator="twfe"),
        "did2s + TWFE together (the 2 s target)": lambda: (
            estimate_did(panel, "y"), estimate_did(panel, "y", estimator="twfe")),
        "placebo shift 3y (did2s)": lambda: placebo_shift(panel, "y", shift=3),
    }
    conv = simulate_convergence_panel(n_units=300, years=range(1998, 2022))
    jobs["β convergence (cross-section)"] = lambda: beta_convergence(conv, "gdp_pc", 1998, 2021)
    jobs["σ convergence (999 bootstrap)"] = lambda: sigma_convergence(conv, "gdp_pc", 1998, 2021)
    rng = np.random.default_rng(0)
    codes = conv.region_code.unique()
    coords = conv[["region_code"]].drop_duplicates().assign(
        lon=rng.uniform(100, 122, len(codes)), lat=rng.uniform(20, 42, len(codes)))
    grav = conv.assign(pop=rng.uniform(1, 10, len(conv)), gdp=rng.uniform(1, 50, len(conv)))
    jobs["gravity all pairs 300×299×24"] = lambda: gravity_linkage(grav, coords)
    jobs["co-movement (1999 block bootstrap)"] = lambda: comovement(
        conv, "gdp_pc", codes[0], list(codes[1:30]), 2010)
    ind = conv.assign(a=rng.random(len(conv)), b=rng.random(len(conv)), c=rng.random(len(conv)))
    jobs["composite entropy index 7200×4"] = lambda: composite_index(
        ind, ["gdp_pc", "a", "b"], ["c"])
    jobs["rank sensitivity (1000 Dirichlet)"] = lambda: rank_sensitivity(
        ind, codes[0], 2010, ["gdp_pc", "a", "b"], ["c"])
    zdf = conv.assign(pop=np.concatenate([simulate_pareto_sizes(300, 1.0, seed=s) for s in range(24)]))
    jobs["Zipf by year (24 years)"] = lambda: zipf_by_year(zdf, "pop")
    dd = simulate_distance_decay(n=300)
    jobs["distance decay (HC3, focus PI)"] = lambda: distance_decay(
        dd, "y", dd.attrs["hubs"], ["gdp_pc", "pop"], focus=dd.region_code.iloc[0])

    # design-based inference and new estimators: 30 provinces × 10 cities × 24 years, treatment
    # in 4 province blocks (the real design's shape)
    cp = simulate_clustered_panel(n_provinces=30, units_per_province=10, years=range(1998, 2022),
                                  effect=lambda k, g: 0.5 + 0.05 * k, seed=0)
    im = imputation_did(cp, "y")
    jobs["imputation did2s numpy (ATT + ES, province CR1)"] = lambda: imputation_did(cp, "y")
    jobs["wild cluster bootstrap, province, B=999 (WCR+WCU+pre)"] = lambda: (
        wild_cluster_bootstrap(cp, "y", B=999, seed=0))
    jobs["randomization inference, province blocks, 999 perms"] = lambda: (
        randomization_inference(cp, "y", n_perm=999, seed=0))
    jobs["sensitivity bounds RM + SD (from ES + vcov)"] = lambda: (
        honest_bounds(im["event_study"]["estimate"], im["event_study_vcov"]),
        honest_bounds(im["event_study"]["estimate"], im["event_study_vcov"], restriction="sd"))
    jobs["Callaway-Sant'Anna, not-yet-treated"] = lambda: callaway_santanna(cp, "y")
    jobs["Callaway-Sant'Anna, never-treated, province clusters"] = lambda: callaway_santanna(
        cp, "y", control_group="never", cluster="province")
    fp = simulate_factor_panel(n_units=300, years=range(2000, 2022), seed=0)
    jobs["synthetic control + 299 placebos (2000-2015 pre)"] = lambda: synthetic_control(
        fp, "y", fp.region_code.iloc[0], 2016)
    jobs["synthetic DiD + 299 placebo estimates"] = lambda: synthetic_did(
        fp, "y", fp.region_code.iloc[0], 2016)
    with tempfile.TemporaryDirectory() as tmp:
        memo.call(wild_cluster_bootstrap, cp, "y", B=999, seed=0, data_key="bench", cache=tmp)
        memo_hit = timeit(lambda: memo.call(wild_cluster_bootstrap, cp, "y", B=999, seed=0,
                                            data_key="bench", cache=tmp))

    print(f"# {platform.processor() or platform.machine()}, Python {platform.python_version()}")
    print(f"import yrdlib.methods: {import_s:.2f} s; first did2s call (cold, JIT): {first_call:.2f} s")
    print(f"{'task':55s} {'best s':>8s} {'median s':>9s} {'peak MB':>8s}")
    for name, fn in jobs.items():
        best, med = timeit(fn)
        print(f"{name:55s} {best:8.3f} {med:9.3f} {peak_mb(fn):8.1f}")
    print(f"{'memo hit: wild bootstrap result (hash 7200 rows + unpickle)':55s} "
          f"{memo_hit[0]:8.3f} {memo_hit[1]:9.3f}")
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"process max RSS: {rss:.0f} MB")


if __name__ == "__main__":
    main()
