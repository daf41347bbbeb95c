"""`yrd data build | check | show | hash-sources`. Heavy imports are deferred so that a no-op
build answers in well under a second."""

from __future__ import annotations

import sys
import time

import click


@click.group()
def data() -> None:
    """Build, check and inspect the processed panel (data/processed/)."""


@data.command()
@click.option("--force", is_flag=True, help="Rebuild even if no input changed.")
def build(force: bool) -> None:
    """Raw extracts -> data/processed/ (atomic; skipped when inputs are unchanged)."""
    from yrdlib.data import build as b
    from yrdlib.errors import DataError

    t0 = time.perf_counter()
    try:
        built, m = b.build(force=force)
    except DataError as e:
        click.echo(f"error: {e}", err=True)
        click.echo("data/processed/ was left as it was.", err=True)
        sys.exit(1)
    dt = time.perf_counter() - t0
    if built:
        click.echo(f"built data/processed/: {m['rows']:,} values, {m['regions']} regions, "
                   f"{m['indicators']} indicators, {m['years'][0]}-{m['years'][1]} in {dt:.1f} s")
        if m.get("undecided_breaks"):
            click.echo(f"warning: {m['undecided_breaks']} detected series break(s) have no decision "
                       "in data/raw/breaks/breaks.csv: `yrd data check` lists them", err=True)
    else:
        click.echo(f"data/processed/ is up to date (inputs unchanged since {m['built_at']}); "
                   f"checked in {dt:.2f} s")


@data.command()
def check() -> None:
    """Validate the processed panel and the raw sources' checksums."""
    import pandas as pd

    from yrdlib import config
    from yrdlib.data import breaks, schema, sources
    from yrdlib.data import build as b
    from yrdlib.errors import DataError

    problems = sources.check_hashes()
    for p in problems:
        click.echo(f"error: {p}", err=True)
    m = b.read_manifest()
    if m is None:
        click.echo("error: data/processed/ has not been built: run `yrd data build`", err=True)
        sys.exit(1)
    if not b.up_to_date():
        click.echo("warning: data/processed/ is stale: inputs changed since it was built", err=True)
    try:
        panel = pd.read_parquet(config.PROCESSED / "panel.parquet")
        schema.validate(panel)
        undecided, stale = breaks.review(panel)
    except DataError as e:
        click.echo(f"error: {e}", err=True)
        sys.exit(1)
    for line in stale:
        click.echo(f"warning: {line}", err=True)
    for line in undecided:
        click.echo(f"error: {line}", err=True)
    if problems or undecided:
        sys.exit(1)
    click.echo(f"ok: {len(panel):,} values valid; {len(m['inputs'])} inputs match SOURCE.yml")


@data.command()
@click.argument("region")
@click.option("-i", "--indicator", "keys", multiple=True, help="Indicator key(s); default all.")
@click.option("--lang", type=click.Choice(["zh", "en", "both"]), default="both")
def show(region: str, keys: tuple[str, ...], lang: str) -> None:
    """Print a region's series (code, Chinese or English name)."""
    import pandas as pd

    from yrdlib import regions
    from yrdlib.data import indicators, panel

    try:
        r = regions.resolve(region)
    except regions.RegionError as e:
        click.echo(f"error: {e}", err=True)
        sys.exit(2)
    s = panel.series(r.code, list(keys) or None)
    click.echo(f"{r.name_zh} {r.name_en} ({r.code}, {r.province_en}, {r.level}"
               + (f", YRD member since {r.yrd_join_year}" if r.yrd_join_year else "") + ")")
    if s.empty:
        click.echo("no data")
        return
    s.columns = [f"{indicators.label(c, lang)} [{indicators.get(c).unit}]" for c in s.columns]
    with pd.option_context("display.max_rows", 200, "display.max_columns", 200, "display.width", 250):
        click.echo(s.T.to_string(float_format=lambda x: f"{x:,.2f}", na_rep="—"))


@data.command("hash-sources")
def hash_sources() -> None:
    """Write the sha256 of each raw file into its folder's SOURCE.yml (maintainers)."""
    from yrdlib.data import sources

    for line in sources.write_hashes():
        click.echo(line)
