"""CITATION.cff is valid CFF 1.2.0 (issue 26). cffconvert is not in the lock, so the required
keys and their types are checked against a JSON schema written here from the CFF 1.2.0
specification (https://github.com/citation-file-format/citation-file-format, schema.json)."""

from pathlib import Path

import jsonschema
import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]

PERSON = {"type": "object", "minProperties": 1, "additionalProperties": False,
          "properties": {k: {"type": "string", "minLength": 1} for k in (
              "family-names", "given-names", "name-particle", "name-suffix", "affiliation",
              "email", "orcid", "website", "alias", "address", "city", "country")}}
ENTITY = {"type": "object", "required": ["name"], "additionalProperties": False,
          "properties": {k: {"type": "string", "minLength": 1} for k in (
              "name", "email", "website", "address", "city", "country", "orcid", "alias")}}
CFF_1_2_0 = {
    "type": "object",
    "required": ["cff-version", "message", "title", "authors"],
    "properties": {
        "cff-version": {"const": "1.2.0"},
        "message": {"type": "string", "minLength": 1},
        "title": {"type": "string", "minLength": 1},
        "type": {"enum": ["dataset", "software"]},
        "authors": {"type": "array", "minItems": 1, "items": {"oneOf": [ENTITY, PERSON]}},
        "version": {"type": ["string", "number"], "minLength": 1},
        "date-released": {"type": "string", "pattern": r"^\d{4}-\d{2}-\d{2}$"},
        "license": {"type": "string", "pattern": r"^[A-Za-z0-9.+-]+$"},
        "repository-code": {"type": "string", "format": "uri"},
        "keywords": {"type": "array", "items": {"type": "string", "minLength": 1}},
    },
}


def _load() -> dict:
    # CFF dates are strings; YAML would read an unquoted date as a datetime.date
    return yaml.safe_load((ROOT / "CITATION.cff").read_text(encoding="utf-8"))


def test_citation_cff_is_valid_cff_1_2_0():
    cff = _load()
    jsonschema.validate(cff, CFF_1_2_0)
    assert cff["authors"] == [{"name": "Yuhuan YRD evidence project contributors"}]
    assert cff["version"] == "0.1.0" and cff["license"] == "MIT"
    assert "MIT" in (ROOT / "LICENSE").read_text(encoding="utf-8")[:200]


@pytest.mark.parametrize("broken", [{"cff-version": "1.1.0"}, {"authors": []},
                                    {"authors": [{"institution": "x"}]},
                                    {"date-released": "6 Dec 2026"}])
def test_schema_rejects_broken_citations(broken):
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate({**_load(), **broken}, CFF_1_2_0)
