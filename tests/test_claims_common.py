"""The shared causal test: cached and uncached give byte-identical evidence (issue 14)."""

import json

from yrdlib.claims import common


def test_cached_and_uncached_did_test_are_identical(tmp_path, monkeypatch):
    monkeypatch.setenv("YRD_MEMO_DIR", str(tmp_path))
    args = ("S4.b", "share_tertiary", "association", (2008, 2016), "level")
    kw = dict(leads=3, lags=3)
    cold = common.did_test(*args, **kw)           # computes and stores
    warm = common.did_test(*args, **kw)           # reads the stored entry
    plain = common.did_test(*args, cache=False, **kw)
    dump = [json.dumps(r.evidence.to_dict(), sort_keys=True, ensure_ascii=False)
            for r in (cold, warm, plain)]
    assert dump[0] == dump[1] == dump[2]
    assert list(tmp_path.rglob("*.pkl")), "nothing was cached"
    rows = [r["name"] for r in cold.evidence.sensitivity]
    # the fixed rows, in order (the window row names this test's years)
    assert rows == [n.replace("2003–2022", "2008–2016") for n in common.RULE_ROWS]
    binding = {r["name"] for r in cold.evidence.sensitivity if r["binding"]}
    assert binding == {n.replace("2003–2022", "2008–2016") for n in common.SIGN_ROWS} | {
        "Rambachan–Roth M̄ = 0.5"}
    shown = {r["name"] for r in cold.evidence.sensitivity if not r["binding"]}
    assert shown == set(common.DISPLAY_ROWS)
    assert cold.evidence.inference.startswith("randomization inference over province blocks")
