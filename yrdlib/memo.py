"""Persistent, content-addressed cache for expensive pooled results (wild bootstrap,
randomization inference, sensitivity bounds).

A pooled result depends on the processed data, the outcome and the specification, never on the
focus city, so it is computed once per data version and reused by every notebook run.

Key = sha256 of
  * the data's content identity: ``data_key`` passed by the caller, or (default) the
    ``inputs_key`` of ``data/processed/manifest.json`` (changes whenever any raw input changes);
  * the function's qualified name (``module.qualname``);
  * a hash of the function's source code (``inspect.getsource``) and compiled code and, for a
    yrdlib function, of every ``.py`` file in its package folder (``yrdlib/methods/*.py``), so
    editing the method or any helper beside it invalidates its entries; functions elsewhere
    can be listed in ``deps=``;
  * the canonicalised arguments: DataFrames / Series by ``pandas.util.hash_pandas_object`` plus
    column names and dtypes, numpy arrays by their bytes, dtype and shape, dicts by sorted keys,
    floats by ``repr`` (exact), other objects by ``repr``.

  * the installed versions of every package in ``requirements.lock`` (``seal.environment_key``).

Store: one file per key under ``reports/.cache/pooled/<key[:2]>/<key>.pkl`` (``make clean``
removes it with the rest of ``reports/.cache``; the ``YRD_MEMO_DIR`` environment variable or the
``cache_dir`` argument moves it). An entry is ``MAGIC``, an HMAC-SHA256 (``yrdlib.seal``, key
held outside the cache directory) over the cache key and the pickle bytes, then the pickle. The
HMAC is verified *before* anything is unpickled, so a file planted or edited by someone without
the key is never unpickled and never served: it is recomputed and overwritten, with one warning
line. Writes are atomic (temporary file in the same directory, then ``os.replace``); a cache
directory that cannot be written (read-only, disk full) or a missing key costs only time (one
warning line, the result is returned). A hit returns the object the miss stored.

Usage::

    res = memo.call(wild_cluster_bootstrap, df, "y", cluster="province", B=999, seed=1)

    @memo.pooled
    def expensive(df, outcome, B=999): ...
"""

from __future__ import annotations

import functools
import hashlib
import hmac
import inspect
import json
import logging
import os
import pickle
import tempfile
from pathlib import Path

import numpy as np
import pandas as pd

from yrdlib import config, seal

__all__ = ["cache_dir", "call", "clear", "data_key_from_manifest", "key_for", "pooled"]

_MANIFEST_KEY: str | None = None
MAGIC = b"YRDMEMO2\n"
log = logging.getLogger("yrdlib.memo")


def cache_dir(override: str | Path | None = None) -> Path:
    if override is not None:
        return Path(override)
    env = os.environ.get("YRD_MEMO_DIR")
    return Path(env) if env else config.REPORTS / ".cache" / "pooled"


def data_key_from_manifest(path: str | Path | None = None) -> str:
    """The processed data's content identity: ``inputs_key`` of ``manifest.json``."""
    p = Path(path) if path is not None else config.PROCESSED / "manifest.json"
    try:
        m = json.loads(p.read_text(encoding="utf-8"))
    except FileNotFoundError as e:
        raise RuntimeError(f"{p}: no manifest; build the data (yrd data build) or pass data_key=") from e
    key = m.get("inputs_key")
    if not key:
        raise RuntimeError(f"{p}: manifest has no 'inputs_key'; pass data_key= explicitly")
    return str(key)


def _canon(x, h) -> None:
    """Feed a canonical, type-tagged byte representation of ``x`` into hash ``h``."""
    if isinstance(x, pd.DataFrame):
        h.update(b"DF")
        h.update(json.dumps([str(c) for c in x.columns]).encode())
        h.update(json.dumps([str(t) for t in x.dtypes]).encode())
        h.update(pd.util.hash_pandas_object(x, index=True).to_numpy().tobytes())
    elif isinstance(x, pd.Series):
        h.update(b"SR" + str(x.name).encode() + str(x.dtype).encode())
        h.update(pd.util.hash_pandas_object(x, index=True).to_numpy().tobytes())
    elif isinstance(x, np.ndarray):
        h.update(b"ND" + str(x.dtype).encode() + str(x.shape).encode())
        h.update(np.ascontiguousarray(x).tobytes() if x.dtype != object else repr(x.tolist()).encode())
    elif isinstance(x, dict):
        h.update(b"DI%d" % len(x))
        for k in sorted(x, key=repr):
            _canon(k, h)
            _canon(x[k], h)
    elif isinstance(x, (list, tuple)):
        h.update((b"LI" if isinstance(x, list) else b"TU") + b"%d" % len(x))
        for v in x:
            _canon(v, h)
    elif isinstance(x, (set, frozenset)):
        h.update(b"SE")
        for v in sorted(x, key=repr):
            _canon(v, h)
    elif isinstance(x, (bool, int, float, str, bytes, type(None), np.generic, range)):
        h.update(type(x).__name__.encode() + b":" + repr(x).encode() + b";")
    elif callable(x):
        h.update(b"FN")
        _canon(_fn_identity(x), h)
    else:
        h.update(b"OB" + type(x).__qualname__.encode() + repr(x).encode())


def _code_bytes(code) -> bytes:
    """Bytecode, constants and names of a code object (nested ones included)."""
    parts = [code.co_code, repr(code.co_names).encode(), repr(code.co_varnames).encode()]
    for c in code.co_consts:
        parts.append(_code_bytes(c) if hasattr(c, "co_code") else repr(c).encode())
    return b"\x00".join(parts)


def _file_digest(path: Path) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def _package_sources(fn) -> list[tuple[str, str]]:
    """sha256 of every .py file in the package directory of ``fn``'s module when that module
    belongs to yrdlib (so an edit to a helper in ``yrdlib/methods/`` invalidates results of any
    method there); [] for functions outside yrdlib."""
    mod = inspect.getmodule(fn)
    f = getattr(mod, "__file__", None)
    if not f or not getattr(mod, "__name__", "").startswith("yrdlib"):
        return []
    folder = Path(f).parent
    return [(p.name, _file_digest(p)) for p in sorted(folder.glob("*.py"))]


def _fn_identity(fn) -> tuple[str, str]:
    """(module.qualname, sha256 of the function's source, its compiled code and — for yrdlib
    functions — every source file of its package). The compiled code is hashed too because
    ``inspect.getsource`` can serve a stale line cache after an edit."""
    target = inspect.unwrap(fn)
    name = f"{target.__module__}.{target.__qualname__}"
    h = hashlib.sha256()
    try:
        h.update(inspect.getsource(target).encode())
    except (OSError, TypeError):
        pass
    code = getattr(target, "__code__", None)
    h.update(_code_bytes(code) if code is not None else repr(target).encode())
    h.update(repr(_package_sources(target)).encode())
    return name, h.hexdigest()


def key_for(fn, args: tuple, kwargs: dict, data_key: str, deps=()) -> str:
    h = hashlib.sha256()
    _canon(("data", str(data_key)), h)
    _canon(("fn", _fn_identity(fn)), h)
    _canon(("deps", [_fn_identity(d) for d in deps]), h)
    _canon(("args", list(args)), h)
    _canon(("kwargs", dict(kwargs)), h)
    _canon(("env", seal.environment_key()), h)
    return h.hexdigest()


def _path(key: str, cache: str | Path | None) -> Path:
    return cache_dir(cache) / key[:2] / f"{key}.pkl"


def _warn(msg: str) -> None:
    log.warning("warning: pooled cache: %s", msg)


def _read(p: Path, key: str):
    """The stored object, or raise ValueError when the entry does not verify (nothing from the
    file is unpickled unless its HMAC does). FileNotFoundError when there is no entry."""
    blob = p.read_bytes()
    head = len(MAGIC) + 64
    if not blob.startswith(MAGIC) or len(blob) < head + 1:
        raise ValueError("not an authenticated entry")
    tag, body = blob[len(MAGIC):head].decode("ascii", "replace"), blob[head:]
    if not hmac.compare_digest(tag, seal.mac(key.encode(), body)):
        raise ValueError("HMAC differs (edited, damaged or made with another key)")
    return pickle.loads(body)  # authenticated above


def _write(p: Path, key: str, out) -> None:
    body = pickle.dumps(out, protocol=pickle.HIGHEST_PROTOCOL)
    blob = MAGIC + seal.mac(key.encode(), body).encode("ascii") + body
    p.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=p.parent, prefix=".tmp-", suffix=".pkl")
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(blob)
        os.replace(tmp, p)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise


def call(fn, *args, data_key: str | None = None, deps=(), cache: str | Path | None = None,
         refresh: bool = False, **kwargs):
    """``fn(*args, **kwargs)``, looked up in / stored to the persistent cache.

    ``data_key``: the data's content identity (default: manifest ``inputs_key``). ``deps``: extra
    functions whose source should invalidate the entry when edited. ``refresh=True`` recomputes
    and overwrites."""
    dk = data_key if data_key is not None else data_key_from_manifest()
    key = key_for(fn, args, kwargs, dk, deps)
    p = _path(key, cache)
    if not refresh:
        try:
            return _read(p, key)
        except FileNotFoundError:
            pass
        except seal.KeyUnavailable as e:
            _warn(f"no key ({e}); {key[:12]} computed without the cache")
            return fn(*args, **kwargs)
        except Exception as e:  # noqa: BLE001 - never served: recomputed and overwritten
            _warn(f"entry {key[:12]} not used ({type(e).__name__}: {e}); recomputed")
    out = fn(*args, **kwargs)
    try:
        _write(p, key, out)
    except (OSError, pickle.PicklingError, TypeError, AttributeError) as e:
        _warn(f"entry {key[:12]} not stored ({e}); the result is returned uncached")
    return out


def pooled(fn=None, *, deps=()):
    """Decorator: ``@memo.pooled`` makes ``fn`` cached; the wrapper accepts ``data_key=``,
    ``cache=`` and ``refresh=`` besides ``fn``'s own arguments."""
    def deco(f):
        @functools.wraps(f)
        def wrapper(*args, data_key=None, cache=None, refresh=False, **kwargs):
            return call(f, *args, data_key=data_key, deps=deps, cache=cache, refresh=refresh,
                        **kwargs)
        wrapper.uncached = f
        return wrapper
    return deco(fn) if fn is not None else deco


def clear(cache: str | Path | None = None) -> int:
    """Delete every entry; returns how many were removed."""
    d = cache_dir(cache)
    n = 0
    if d.exists():
        for p in d.glob("*/*.pkl"):
            p.unlink()
            n += 1
    return n
