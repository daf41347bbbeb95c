"""Authentication of cache entries, so that a cache can neither run code nor lie.

A cache directory may be writable by others (a shared ``YRD_MEMO_DIR`` on a cluster, a copied
``reports/``). An entry is therefore used only when an HMAC-SHA256 over its full bytes, made
with a secret key held *outside* every cache directory, verifies; the pooled cache checks this
before it unpickles anything. Whoever can write a cache directory but does not hold the key can
only make entries be recomputed, never served.

The key: ``YRD_CACHE_KEY`` (any string, e.g. 64 hex digits) or else the file
``$XDG_CONFIG_HOME/yrd/cache.key`` (default ``~/.config/yrd/cache.key``), created with mode
0600 on first use. A key file that others may write is refused (it would let them forge).

``environment_key()`` is the hash of the installed version of every package pinned in
``requirements.lock`` (plus Python's), computed once per process, so an upgraded statsmodels
misses every cache entry made with the old one.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import platform
import re
import secrets
import stat
import sys
from functools import lru_cache
from pathlib import Path

from yrdlib import config

ENV_KEY = "YRD_CACHE_KEY"


class KeyUnavailable(OSError):
    """No usable key: caching is skipped (only time is lost)."""


def key_path() -> Path:
    base = os.environ.get("XDG_CONFIG_HOME") or str(Path.home() / ".config")
    return Path(base) / "yrd" / "cache.key"


@lru_cache(maxsize=4)
def _key_from_file(path: str) -> bytes:
    p = Path(path)
    try:
        fd = os.open(p, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        pass
    except OSError as e:
        raise KeyUnavailable(e.errno, f"cannot create the cache key ({e.strerror})", str(p)) from None
    else:
        with os.fdopen(fd, "w") as f:
            f.write(secrets.token_hex(32) + "\n")
    try:
        st = p.stat()
        if st.st_mode & (stat.S_IWGRP | stat.S_IWOTH):
            raise KeyUnavailable(0, "the cache key is writable by others; refused", str(p))
        text = p.read_text(encoding="ascii").strip()
    except KeyUnavailable:
        raise
    except (OSError, UnicodeError) as e:
        raise KeyUnavailable(0, f"cannot read the cache key ({e})", str(p)) from None
    if len(text) < 32:
        raise KeyUnavailable(0, "the cache key is shorter than 32 characters", str(p))
    return text.encode()


def secret() -> bytes:
    """The HMAC key (``YRD_CACHE_KEY`` or the key file). Raises KeyUnavailable."""
    env = os.environ.get(ENV_KEY)
    if env:
        if len(env) < 32:
            raise KeyUnavailable(0, f"{ENV_KEY} is shorter than 32 characters")
        return env.encode()
    p = key_path()
    if not p.parent.exists():
        try:
            p.parent.mkdir(parents=True, mode=0o700)
        except FileExistsError:
            pass
        except OSError as e:
            raise KeyUnavailable(e.errno, f"cannot create {p.parent} ({e.strerror})") from None
    return _key_from_file(str(p))


def mac(*parts: bytes) -> str:
    """HMAC-SHA256 (hex) over the length-prefixed parts."""
    h = hmac.new(secret(), digestmod=hashlib.sha256)
    for b in parts:
        h.update(len(b).to_bytes(8, "big"))
        h.update(b)
    return h.hexdigest()


def verify(tag: str, *parts: bytes) -> bool:
    """True when ``tag`` is the HMAC of ``parts`` (constant-time comparison)."""
    return isinstance(tag, str) and hmac.compare_digest(tag, mac(*parts))


def _lock_file() -> Path | None:

    for d in (config.ROOT, Path(__file__).resolve().parent.parent):
        p = Path(d) / "requirements.lock"
        if p.is_file():
            return p
    return None


@lru_cache(maxsize=1)
def environment() -> tuple[tuple[str, str], ...]:
    """(name, installed version) for Python and every package pinned in requirements.lock
    (every installed distribution when there is no lock file)."""
    def norm(name: str) -> str:
        return re.sub(r"[-_.]+", "-", name).lower()

    installed: dict[str, str] = {}
    # the versions from the metadata folders' names (`statsmodels-0.15.0.dist-info`): one
    # listdir per sys.path entry, ~1 ms, where importlib.metadata takes ~100 ms for the lock
    for entry in sys.path:
        try:
            listing = os.listdir(entry or ".")
        except OSError:
            continue
        for f in listing:
            if f.endswith((".dist-info", ".egg-info")):
                parts = f.rsplit(".", 1)[0].split("-")
                if len(parts) >= 2:
                    installed.setdefault(norm(parts[0]), parts[1])
    names: list[str] = []
    lock = _lock_file()
    if lock is not None:
        for line in lock.read_text(encoding="utf-8").splitlines():
            m = re.match(r"\s*([A-Za-z0-9][A-Za-z0-9._-]*)\s*==", line)
            if m:
                names.append(norm(m.group(1)))
    else:
        names = list(installed)
    out = [("python", platform.python_version())]
    for n in sorted(set(names)):
        v = installed.get(n)
        if v is None:
            from importlib import metadata

            try:
                v = metadata.version(n)
            except metadata.PackageNotFoundError:
                v = "absent"
        out.append((n, v))
    return tuple(out)


@lru_cache(maxsize=1)
def environment_key() -> str:
    return hashlib.sha256(repr(environment()).encode()).hexdigest()
