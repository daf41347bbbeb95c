"""The layers of issue 24 hold: no module of yrdlib passes 600 lines, grimp finds no import cycle
inside yrdlib (imports inside functions count), and the import-linter layers contract in
pyproject.toml names every module (a new module must be given its layer)."""

from __future__ import annotations

import tomllib
from pathlib import Path

import grimp
import pytest

ROOT = Path(__file__).resolve().parents[1]
MAX_LINES = 600


@pytest.fixture(scope="module")
def graph():
    return grimp.build_graph("yrdlib", include_external_packages=False, cache_dir=None)


def test_no_module_over_600_lines():
    long = {str(p.relative_to(ROOT)): n for p in sorted((ROOT / "yrdlib").rglob("*.py"))
            if (n := len(p.read_text(encoding="utf-8").splitlines())) > MAX_LINES}
    assert not long, f"split these (estimation apart from presentation): {long}"


def _cycles(graph) -> list[list[str]]:
    """Strongly connected components of more than one module (Tarjan, iterative)."""
    edges = {m: sorted(graph.find_modules_directly_imported_by(m)) for m in graph.modules}
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on: set[str] = set()
    out = []
    for root in sorted(edges):
        if root in index:
            continue
        work = [(root, 0)]
        while work:
            v, i = work.pop()
            if i == 0:
                index[v] = low[v] = len(index)
                stack.append(v)
                on.add(v)
            for j in range(i, len(edges[v])):
                w = edges[v][j]
                if w not in index:
                    work.append((v, j + 1))
                    work.append((w, 0))
                    break
                if w in on:
                    low[v] = min(low[v], index[w])
            else:
                if low[v] == index[v]:
                    comp = []
                    while True:
                        w = stack.pop()
                        on.discard(w)
                        comp.append(w)
                        if w == v:
                            break
                    if len(comp) > 1:
                        out.append(sorted(comp))
                if work:
                    u = work[-1][0]
                    low[u] = min(low[u], low[v])
    return out


def test_cycle_finder_finds_a_planted_cycle():
    g = grimp.ImportGraph()
    for m in ("p", "p.a", "p.b", "p.c"):
        g.add_module(m)
    g.add_import(importer="p.a", imported="p.b")
    g.add_import(importer="p.b", imported="p.c")
    assert _cycles(g) == []
    g.add_import(importer="p.c", imported="p.a")  # e.g. an import inside a function
    assert _cycles(g) == [["p.a", "p.b", "p.c"]]


def test_no_import_cycle(graph):
    assert _cycles(graph) == []


def _layers() -> list[str]:
    conf = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    (contract,) = [c for c in conf["tool"]["importlinter"]["contracts"] if c["type"] == "layers"]
    return [m.strip() for layer in contract["layers"]
            for m in layer.replace(":", "|").split("|")]


def test_every_module_is_in_a_layer(graph):
    layers = _layers()

    def placed(m: str) -> bool:
        return any(m == x or m.startswith(x + ".") for x in layers)

    # a package's __init__ outside the layers (yrdlib, yrdlib.claims, yrdlib.report) may only
    # import its own children
    loose = [m for m in sorted(graph.modules) if not placed(m)
             and not all(i.startswith(m + ".") for i in graph.find_modules_directly_imported_by(m))]
    assert not loose, f"give these modules a layer in pyproject.toml: {loose}"
