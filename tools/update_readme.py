"""Regenerate the generated sections of README.md (between `<!-- BEGIN name -->` and
`<!-- END name -->` markers) so that nothing there is typed by hand:

- `data-availability`: from data/raw/*/SOURCE.yml
- `verdicts`: from the evidence of the latest complete run (reports/latest), if there is one
- `calibration`: from docs/calibration/summary.csv (`yrd calibrate`), if there is one

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


def calibration_markdown() -> str | None:
    """The calibration table of the verdict rule (size; power at 1, 2, 4 SD) with the figure."""
    from yrdlib.claims import calibration

    s = calibration.published_summary()
    if s is None:
        return None
    pct = "{:.0%}".format
    rows = ["| test | placebo runs | size (supported or contradicted, no effect) | power 1 SD | "
            "power 2 SD | power 4 SD | 4 SD planted on the actual treated cities |",
            "|---|---|---|---|---|---|---|"]
    for _, r in s.iterrows():
        rows.append(f"| {r['hypothesis']} | {int(r['placebo_runs'])} | {pct(r['size'])} | "
                    f"{pct(r['power_1sd'])} | {pct(r['power_2sd'])} | {pct(r['power_4sd'])} | "
                    f"{r['actual_4sd']} ({r['tau_4sd']:.3g}) |")
    cur = bool(s["current_data"].all())
    note = ("Measured by `yrd calibrate` on the current data version "
            f"({s['data_key'].iloc[0][:12]})." if cur else
            f"Measured by `yrd calibrate` on data version {s['data_key'].iloc[0][:12]}, not the "
            "current one: re-run it.")
    return "\n".join(rows) + f"\n\n{note}\n\n![Power curves](docs/calibration/power.png)"


def main() -> None:
    from yrdlib.data import sources

    readme = ROOT / "README.md"
    text = readme.read_text(encoding="utf-8")
    text = replace_section(text, "data-availability", sources.availability_markdown())
    v = verdicts_markdown()
    if v:
        text = replace_section(text, "verdicts", v)
    c = calibration_markdown()
    if c:
        text = replace_section(text, "calibration", c)
        methods = ROOT / "docs" / "methods.md"
        m = replace_section(methods.read_text(encoding="utf-8"), "calibration",
                            c.replace("docs/calibration/power.png", "calibration/power.png"))
        methods.write_text(m, encoding="utf-8")
    readme.write_text(text, encoding="utf-8")
    print("README.md updated")


if __name__ == "__main__":
    main()
