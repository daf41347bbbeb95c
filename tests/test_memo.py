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


class _Payload:
    """Unpickling this writes a marker file: the crafted entry of an attacker."""

    def __init__(self, marker):
        self.marker = str(marker)

    def __reduce__(self):
        import pathlib

        return (pathlib.Path(self.marker).write_text, ("pwned",))


def crafted_pickle(marker) -> bytes:
    return pickle.dumps(_Payload(marker))


def test_crafted_pickle_is_never_unpickled(cache, tmp_path, caplog):
    """A planted pickle at the entry's exact path (old plain format, or with a forged MAC
    header) is recomputed and overwritten; its payload never runs."""
    df = pd.DataFrame({"y": [1.0, 2.0]})
    CALLS["n"] = 0
    memo.call(counted, df, data_key="k", cache=cache)
    (p,) = list(cache.glob("*/*.pkl"))
    marker = tmp_path / "marker"
    for blob in (crafted_pickle(marker), memo.MAGIC + b"0" * 64 + crafted_pickle(marker)):
        p.write_bytes(blob)
        with caplog.at_level("WARNING", logger="yrdlib.memo"):
            out = memo.call(counted, df, data_key="k", cache=cache)
        assert out["sum"] == 3.0 and not marker.exists()
        assert "HMAC differs" in caplog.text or "not an authenticated entry" in caplog.text
    assert CALLS["n"] == 3
    assert memo.call(counted, df, data_key="k", cache=cache)["sum"] == 3.0 and CALLS["n"] == 3


def test_edited_value_in_a_valid_pickle_is_not_served(cache, caplog):
    """One float changed inside a still-valid pickle (the audit's S1.b = 0.5) is caught by the
    HMAC over the full bytes."""
    df = pd.DataFrame({"y": [1.0, 2.0]})
    memo.call(counted, df, data_key="e", cache=cache)
    (p,) = list(cache.glob("*/*.pkl"))
    blob = p.read_bytes()
    body = pickle.loads(blob[len(memo.MAGIC) + 64:])
    body["sum"] = 0.5
    p.write_bytes(blob[:len(memo.MAGIC) + 64] + pickle.dumps(body))
    with caplog.at_level("WARNING", logger="yrdlib.memo"):
        out = memo.call(counted, df, data_key="e", cache=cache)
    assert out["sum"] == 3.0
    assert len([r for r in caplog.records if "recomputed" in r.getMessage()]) == 1


def test_other_key_recomputes(cache, monkeypatch):
    """Entries made under another key (another machine, a forger) are not served."""
    df = pd.DataFrame({"y": [4.0]})
    monkeypatch.setenv("YRD_CACHE_KEY", "a" * 64)
    CALLS["n"] = 0
    memo.call(counted, df, data_key="o", cache=cache)
    monkeypatch.setenv("YRD_CACHE_KEY", "b" * 64)
    memo.call(counted, df, data_key="o", cache=cache)
    assert CALLS["n"] == 2


def test_package_versions_are_in_the_key(monkeypatch):
    from yrdlib import seal

    env = seal.environment()
    assert ("statsmodels", __import__("statsmodels").__version__) in env
    before = memo.key_for(counted, (1,), {}, "d")
    monkeypatch.setattr(seal, "environment_key", lambda: "statsmodels 0.0 elsewhere")
    assert memo.key_for(counted, (1,), {}, "d") != before


def test_unwritable_cache_costs_only_time(tmp_path, monkeypatch, caplog):
    full = tmp_path / "full"
    full.mkdir()

    def enospc(*a, **k):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(memo.tempfile, "mkstemp", enospc)
    with caplog.at_level("WARNING", logger="yrdlib.memo"):
        out = memo.call(counted, pd.DataFrame({"y": [2.0]}), data_key="w", cache=full)
    assert out["sum"] == 2.0
    (rec,) = caplog.records
    assert "not stored" in rec.getMessage() and "\n" not in rec.getMessage()


def test_key_file_is_private_and_refused_when_others_may_write(tmp_path, monkeypatch):
    import stat

    from yrdlib import seal

    monkeypatch.delenv("YRD_CACHE_KEY", raising=False)
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "cfg"))
    a = seal.mac(b"x")
    key = tmp_path / "cfg" / "yrd" / "cache.key"
    assert stat.S_IMODE(key.stat().st_mode) == 0o600
    assert seal.mac(b"x") == a  # the same key on the next use
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "cfg2"))
    assert seal.mac(b"x") != a  # another machine's key: its entries do not verify here
    key.chmod(0o666)
    seal._key_from_file.cache_clear()
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "cfg"))
    with pytest.raises(seal.KeyUnavailable, match="writable by others"):
        seal.mac(b"x")
    seal._key_from_file.cache_clear()
