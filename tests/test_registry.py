"""The claim registry: well formed, one source for the claim rule and the docs."""

import pytest
import yaml

from yrdlib import config
from yrdlib.claims import registry


def test_every_claim_and_its_notebook():
    cs = registry.claims()
    assert list(cs) == ["S1", "S2", "S3", "S4", "P"]
    for c in cs.values():
        assert (config.NOTEBOOKS / f"{c.notebook}.ipynb").exists(), c.notebook
        assert c.hypotheses, c.id


def test_tests_and_descriptions():
    # the article asserts tests; positions and profiles are descriptions and never core
    assert registry.hypothesis("S4.c").kind == "description"
    assert registry.hypothesis("S1.c").kind == "description"
    assert all(h.kind == "description" for h in registry.claim("P").hypotheses)
    assert registry.claim("P").core == ()
    # every claim that makes an assertion names its core
    for cid in ("S1", "S2", "S3", "S4"):
        assert registry.claim(cid).core, cid
    assert set(registry.claim("S3").core) == {"S3.a", "S3.c"}


def test_malformed_entry_is_named(tmp_path):
    bad = yaml.safe_load((registry.REGISTRY_DIR / "s3.yml").read_text(encoding="utf-8"))
    bad["hypotheses"][0]["kind"] = "hunch"
    p = tmp_path / "s3.yml"
    p.write_text(yaml.safe_dump(bad, allow_unicode=True), encoding="utf-8")
    with pytest.raises(registry.RegistryError, match=r"s3.yml, hypothesis S3.a: kind 'hunch'"):
        registry.parse(p)
    bad["hypotheses"][0]["kind"] = "description"
    p.write_text(yaml.safe_dump(bad, allow_unicode=True), encoding="utf-8")
    with pytest.raises(registry.RegistryError, match="never core"):
        registry.parse(p)


def test_docs_claims_md_is_generated_from_the_registry():
    doc = (config.ROOT / "docs" / "claims.md").read_text(encoding="utf-8")
    assert doc.strip() == registry.docs_markdown().strip(), "run `make docs`"


def test_literature_records_only_what_was_read():
    from yrdlib.claims import literature

    for s in literature.studies():
        read = s["read_from"] != "none"
        # a design, sample or finding is stated only for a study the project could read
        for f in ("design", "sample", "finding"):
            assert read or str(s[f]).startswith("not verified"), (s["key"], f)
            assert read or str(s[f + "_zh"]).startswith("未核实"), (s["key"], f)
        assert set(s["claims"]) <= set(registry.claims()), s["key"]
    t = literature.table("S2", project={"question": "q", "design": "d", "sample": "s",
                                         "finding": "f"})
    assert t.iloc[-1]["study"] == "this project" and len(literature.verified("S2")) >= 1
    zh = literature.table("S2", project={"question": "q", "question_zh": "问", "design": "d",
                                         "sample": "s", "finding": "f"}, lang="zh")
    assert list(zh.iloc[-1][["study", "question", "design"]]) == ["本项目", "问", "d"]
    assert zh.iloc[0]["question"] == literature.studies()[0]["question_zh"]
