"""Screenshots for the docs, from a fresh run: the index, the scorecard and one claim report, at
1200 px (laptop) and 390 px (phone), into docs/img/.

    python tools/screenshot_reports.py              # runs `yrd run --force` first (fresh run)
    python tools/screenshot_reports.py RUN_DIR      # screenshots an existing run instead

Headless Chromium with the network disabled (benchmarks/screenshot_report.py), so a page that
needed a CDN would show up broken. Needs `apt-get install chromium fonts-noto-cjk`.
Writes docs/img/{index,scorecard,claim}-{1200,390}.png; exit code 3 when chromium is missing.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "benchmarks"))

PAGES = {"index": "index.html", "scorecard": "scorecard.html", "claim": "s1_opening.html"}
WIDTHS = {"1200": "1200,2000", "390": "390,2000"}


def main(argv: list[str] | None = None) -> int:
    from screenshot_report import chromium, screenshot

    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("run_dir", nargs="?", help="an existing run (default: a fresh `yrd run`)")
    ap.add_argument("--out", default=str(ROOT / "docs" / "img"))
    a = ap.parse_args(argv)
    if chromium() is None:
        print("chromium not found: apt-get install chromium fonts-noto-cjk", file=sys.stderr)
        return 3
    if a.run_dir:
        run_dir = Path(a.run_dir).resolve()
    else:
        yrd = Path(sys.executable).with_name("yrd")
        subprocess.run([str(yrd), "run", "--force", "--quiet"], check=True, cwd=ROOT)
        run_dir = (ROOT / "reports" / "latest").resolve()
    out = Path(a.out)
    out.mkdir(parents=True, exist_ok=True)
    for name, page in PAGES.items():
        html = run_dir / page
        if not html.is_file():
            print(f"missing {html}", file=sys.stderr)
            return 2
        for w, size in WIDTHS.items():
            png = out / f"{name}-{w}.png"
            screenshot(html, png, size)
            if not png.is_file():
                print(f"chromium wrote no {png}", file=sys.stderr)
                return 1
            print(png)
    return 0


if __name__ == "__main__":
    sys.exit(main())
