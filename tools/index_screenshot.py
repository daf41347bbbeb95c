"""Screenshot the index page of a run for the README (headless Chromium, offline).

    python tools/index_screenshot.py [RUN_DIR] [--out docs/img/index.png]

RUN_DIR defaults to reports/latest. Uses benchmarks/screenshot_report.py's `screenshot`.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "benchmarks"))


def main(argv: list[str] | None = None) -> int:
    from screenshot_report import chromium, screenshot

    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("run_dir", nargs="?", default=str(ROOT / "reports" / "latest"))
    ap.add_argument("--out", default=str(ROOT / "docs" / "img" / "index-1200.png"))
    ap.add_argument("--size", default="1200,1600")
    a = ap.parse_args(argv)
    if chromium() is None:
        print("chromium not found: apt-get install chromium fonts-noto-cjk", file=sys.stderr)
        return 3
    index = Path(a.run_dir).resolve() / "index.html"
    if not index.is_file():
        print(f"no index.html in {a.run_dir}", file=sys.stderr)
        return 2
    out = Path(a.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    screenshot(index, out, a.size)
    print(out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
