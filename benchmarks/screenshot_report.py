"""Screenshot rendered reports with headless Chromium, as a reader sees them (offline).

    python benchmarks/screenshot_report.py [RUN_DIR] [--out DIR]

RUN_DIR defaults to reports/latest. Writes index.png and one PNG per report into --out (default
RUN_DIR/../.screenshots/<run-id>/). Needs the Debian packages `chromium` and `fonts-noto-cjk`
(apt-get install chromium fonts-noto-cjk); network access is disabled for the browser so a page
that needs a CDN shows up broken. Exit code 3 when chromium is missing.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path


def chromium() -> str | None:
    for name in ("chromium", "chromium-browser", "google-chrome"):
        p = shutil.which(name)
        if p:
            return p
    return None


def screenshot(html: Path, png: Path, size: str = "1200,1600") -> Path:
    exe = chromium()
    if exe is None:
        raise FileNotFoundError("chromium not found (apt-get install chromium fonts-noto-cjk)")
    with tempfile.TemporaryDirectory() as profile:
        cmd = [exe, "--headless", "--no-sandbox", "--disable-gpu",
               "--disable-background-networking", "--disable-component-update", "--disable-sync",
               "--no-first-run", f"--user-data-dir={profile}",
               "--proxy-server=127.0.0.1:9", "--proxy-bypass-list=<-loopback>",  # offline
               f"--screenshot={png}", f"--window-size={size}", html.resolve().as_uri()]
        subprocess.run(cmd, check=True, capture_output=True, timeout=120)
    return png


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("run_dir", nargs="?", default=None)
    ap.add_argument("--out", default=None)
    a = ap.parse_args(argv)
    if chromium() is None:
        print("chromium not found: apt-get install chromium fonts-noto-cjk", file=sys.stderr)
        return 3
    if a.run_dir:
        run = Path(a.run_dir)
    else:
        from yrdlib.config import REPORTS

        run = REPORTS / "latest"
    run = run.resolve()
    out = Path(a.out) if a.out else run.parent / ".screenshots" / run.name
    out.mkdir(parents=True, exist_ok=True)
    for page in sorted(run.glob("*.html")):
        png = screenshot(page, out / (page.stem + ".png"))
        print(png)
    return 0


if __name__ == "__main__":
    sys.exit(main())
