"""Content-addressed cache: a hit returns exactly what the miss computed; data, source and
argument changes invalidate."""

import importlib.util
import json
import pickle
import sys

import numpy as np
import pandas as pd
import pytest

from yrdlib import memo
from yrdlib.methods.inference import randomization_inference
from yrdlib.methods.simulate import simulate_clustered_panel

CALLS = {"n": 0}


def counted(df, k=1):
    CALLS["n"] += 1
    return {"sum": float(df["y"].sum()) * k, "draws": np.arange(3) * k}


@pytest.fixture()
def cache(tmp_path):
    return tmp_path / "pooled"


def test_cached_equals_uncached_byte_for_byte(cache):
    df = simulate_clustered_panel(n_provinces=8, units_per_province=4, years=range(2000, 2010),
                                  treated_provinces={0: {2005: 1.0}, 1: {2006: 1.0}}, seed=0)
    fresh = randomization_inference(df, "y", n_perm=49, seed=3)
    first = memo.call(randomization_inference, df, "y", n_perm=49, seed=3, data_key="v1",
                      cache=cache)
    hit = memo.call(randomization_inference, df, "y", n_perm=49, seed=3, data_key="v1",
                    cache=cache)
    assert pickle.dumps(fresh) == pickle.dumps(first) == pickle.dumps(hit)
    assert len(list(cache.glob("*/*.pkl"))) == 1
    assert not list(cache.glob("*/.tmp-*"))


def test_invalidation_by_data_key_args_and_content(cache):
    df = pd.DataFrame({"y": [1.0, 2.0]})
    CALLS["n"] = 0
    memo.call(counted, df, data_key="a", cache=cache)
    memo.call(counted, df, data_key="a", cache=cache)
    assert CALLS["n"] == 1
    memo.call(counted, df, data_key="b", cache=cache)  # new data version
    assert CALLS["n"] == 2
    memo.call(counted, df, k=2, data_key="a", cache=cache)  # new argument
    assert CALLS["n"] == 3
    memo.call(counted, df.assign(y=[1.0, 2.5]), data_key="a", cache=cache)  # new content
    assert CALLS["n"] == 4
    memo.call(counted, df, data_key="a", cache=cache, refresh=True)
    assert CALLS["n"] == 5


def _load(path, name):
    spec = importlib.util.spec_from_file_location(name, path)
    mod = importlib.util.module_from_spec(spec)
    sys.modules[name] = mod
    spec.loader.exec_module(mod)
    return mod


def test_source_change_invalidates(tmp_path, cache):
    f = tmp_path / "memo_probe_mod.py"
    f.write_text("def stat(x):\n    return x * 2\n")
    a = _load(f, "memo_probe_mod")
    assert memo.call(a.stat, 3, data_key="d", cache=cache) == 6
    f.write_text("def stat(x):\n    return x * 3\n")
    b = _load(f, "memo_probe_mod")
    assert memo.key_for(a.stat, (3,), {}, "d") != memo.key_for(b.stat, (3,), {}, "d")
    assert memo.call(b.stat, 3, data_key="d", cache=cache) == 9
    del sys.modules["memo_probe_mod"]


def test_decorator_and_corrupt_entry(cache):
    CALLS["n"] = 0
    wrapped = memo.pooled(counted)
    df = pd.DataFrame({"y": [1.0]})
    r1 = wrapped(df, data_key="z", cache=cache)
    (p,) = list(cache.glob("*/*.pkl"))
    p.write_bytes(b"not a pickle")
    r2 = wrapped(df, data_key="z", cache=cache)
    assert CALLS["n"] == 2 and r1["sum"] == r2["sum"]
    assert wrapped.uncached is counted
    assert memo.clear(cache) == 1


def test_data_key_from_manifest(tmp_path):
    m = tmp_path / "manifest.json"
    m.write_text(json.dumps({"inputs_key": "abc123"}))
    assert memo.data_key_from_manifest(m) == "abc123"
    m.write_text(json.dumps({}))
    with pytest.raises(RuntimeError, match="inputs_key"):
        memo.data_key_from_manifest(m)
    with pytest.raises(RuntimeError, match="no manifest"):
        memo.data_key_from_manifest(tmp_path / "missing.json")


def test_canonical_args_distinguish_types():
    k = [memo.key_for(counted, (v,), {}, "d") for v in (1, 1.0, "1", True, None, (1,), [1])]
    assert len(set(k)) == len(k)
    assert memo.key_for(counted, ({"a": 1, "b": 2},), {}, "d") == memo.key_for(
        counted, ({"b": 2, "a": 1},), {}, "d")


def test_yrdlib_function_identity_covers_its_package_files(monkeypatch):
    """An edit to a helper module beside the method (here: a changed digest of did.py, which
    holds the data preparation the bootstrap uses) changes the key."""
    before = memo.key_for(randomization_inference, (1,), {}, "d")
    real = memo._file_digest

    def fake(path):
        return "edited" if str(path).endswith("did.py") else real(path)

    monkeypatch.setattr(memo, "_file_digest", fake)
    assert memo.key_for(randomization_inference, (1,), {}, "d") != before
