"""Cost of authenticating pooled-cache hits (issue 25): the memo hit time of the plain-pickle
cache (yrdlib/memo.py of commit ee5afb9, loaded from git) against the HMAC-verified one, on the
region table and one did_test entry (S2.b). Computes the did_test entry once (~30 s) if it is
not cached yet.

    .venv/bin/python benchmarks/bench_memo_verify.py
"""

import importlib.util
import os
import pickle
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("YRD_CACHE_KEY", "bench-key-" + "0" * 40)
ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from yrdlib import memo, regions, seal  # noqa: E402
from yrdlib.claims import common, registry  # noqa: E402


def old_memo(tmp: Path):
    src = subprocess.run(["git", "-C", str(ROOT), "show", "ee5afb9:yrdlib/memo.py"],
                         capture_output=True, text=True, check=True).stdout
    (tmp / "memo_old.py").write_text(src)
    spec = importlib.util.spec_from_file_location("memo_old", tmp / "memo_old.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def ms(f) -> float:
    t = time.perf_counter()
    f()
    return (time.perf_counter() - t) * 1e3


def main() -> None:
    tmp = Path(tempfile.mkdtemp(prefix="yrd-bench-memo-"))
    old = old_memo(tmp)
    old_dir = tmp / "old"
    t = time.perf_counter()
    seal.environment_key()
    print(f"environment_key, once per process: {(time.perf_counter() - t) * 1e3:.1f} ms")
    rk = regions._inputs_key()
    args = ("S2.b", "gdp_real", "association", (2000, 2023), "log", 5, 5,
            common.groups.DEFAULT_TIMING, "")
    kw = {"registry_entry": repr(registry.hypothesis("S2.b"))}
    deps = (common.estimate_did, common.panel.wide, common.groups.did_sample)
    dk = common.data_key()
    cases = {
        "region table": ((regions._build_reference, (), {}, rk, ()),
                         memo.call(regions._build_reference, data_key=rk)),
        "did_test S2.b": ((common._did_test, args, kw, dk, deps),
                          memo.call(common._did_test, *args, data_key=dk, deps=deps, **kw)),
    }
    for name, ((fn, a, k, d, dp), obj) in cases.items():
        measure(old, old_dir, name, fn, a, k, d, dp, obj)


def measure(old, old_dir, name, fn, a, k, d, dp, obj) -> None:
    p = old._path(old.key_for(fn, a, k, d, dp), old_dir)
    p.parent.mkdir(parents=True, exist_ok=True)
    p.write_bytes(pickle.dumps(obj, protocol=pickle.HIGHEST_PROTOCOL))
    before = [ms(lambda: old.call(fn, *a, data_key=d, deps=dp, cache=old_dir, **k))
              for _ in range(150)]
    after = [ms(lambda: memo.call(fn, *a, data_key=d, deps=dp, **k)) for _ in range(150)]
    key = memo.key_for(fn, a, k, d, dp)
    blob = memo._path(key, None).read_bytes()
    body = blob[len(memo.MAGIC) + 64:]
    mac = statistics.median([ms(lambda: seal.mac(key.encode(), body)) for _ in range(50)])
    kt = statistics.median([ms(lambda: memo.key_for(fn, a, k, d, dp)) for _ in range(50)])
    print(f"{name} ({len(blob) / 1e3:.0f} kB): hit before {statistics.median(before):.2f} ms "
          f"(min {min(before):.2f}), after {statistics.median(after):.2f} ms "
          f"(min {min(after):.2f}); of which the key {kt:.2f} ms, the HMAC {mac:.3f} ms")

if __name__ == "__main__":
    main()
