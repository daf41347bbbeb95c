"""Regenerate the generated sections of README.md (between `<!-- BEGIN name -->` and
`<!-- END name -->` markers) so that nothing there is typed by hand:

- `data-availability`: from data/raw/*/SOURCE.yml
- `verdicts`: from the evidence of the latest complete run (reports/latest), if there is one

    python tools/update_readme.py
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def replace_section(text: str, name: str, body: str) -> str:
    pat = re.compile(rf"(<!-- BEGIN {name} -->\n).*?(<!-- END {name} -->)", re.S)
    if not pat.search(text):
        raise SystemExit(f"README.md has no section markers for {name!r}")
    return pat.sub(lambda m: m.group(1) + body.rstrip() + "\n" + m.group(2), text)


def verdicts_markdown() -> str | None:
    try:
        from yrdlib.runner import summary  # provided by the runner
    except ImportError:
        return None
    return summary.verdicts_markdown(ROOT / "reports" / "latest")


def main() -> None:
    from yrdlib.data import sources

    readme = ROOT / "README.md"
    text = readme.read_text(encoding="utf-8")
    text = replace_section(text, "data-availability", sources.availability_markdown())
    v = verdicts_markdown()
    if v:
        text = replace_section(text, "verdicts", v)
    readme.write_text(text, encoding="utf-8")
    print("README.md updated")


if __name__ == "__main__":
    main()
