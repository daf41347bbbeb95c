"""`yrd data build | check | show | hash-sources --reason | accept-source`. Heavy imports are deferred so
that a no-op build answers in well under a second. Every failure is one line on stderr and an
exit code from `yrdlib.errors` (3 bad input data, 4 processed data stale/damaged, 5 I/O fault)."""

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
    from yrdlib import errors
    from yrdlib.data import build as b

    t0 = time.perf_counter()
    try:
        before = b.status()
        built, m = b.build(force=force)
    except (errors.DataError, OSError) as e:
        errors.fail(e, "data/processed/ was left as it was")
    except Exception as e:  # noqa: BLE001 - one line, traceback only with --debug
        errors.fail(e)
    dt = time.perf_counter() - t0
    if built:
        why = {"damaged": " (outputs were damaged: hashes differed from the manifest)",
               "stale": "", "missing": "", "ok": ""}[before]
        click.echo(f"built data/processed/: {m['rows']:,} values, {m['regions']} regions, "
                   f"{m['indicators']} indicators, {m['years'][0]}-{m['years'][1]} in {dt:.1f} s"
                   + why)
        user = b.user_break_errors(m)
        for e in user:
            click.echo(f"error: {e} (`yrd data check` and `yrd run` refuse the data until then)",
                       err=True)
        if m.get("undecided_breaks", 0) > len(user):
            click.echo(f"warning: {m['undecided_breaks'] - len(user)} detected series break(s) have "
                       "no decision "
                       "in data/raw/breaks/breaks.csv: `yrd data check` lists them", err=True)
    else:
        click.echo(f"data/processed/ is up to date (inputs unchanged since {m['built_at']}, "
                   f"outputs verified); checked in {dt:.2f} s")


@data.command()
def check() -> None:
    """Validate the processed panel, its output hashes and the raw sources' checksums."""
    from yrdlib import config, errors

    try:
        problems, panel, m = _check(config)
    except Exception as e:  # noqa: BLE001 - a bad SOURCE.yml is a DataError: exit 3
        errors.fail(e)
    if problems:
        code = problems[0][0]
        for _, p in problems:
            click.echo(f"error: {p}", err=True)
        sys.exit(code)
    click.echo(f"ok: {len(panel):,} values valid; {len(m['inputs'])} inputs match SOURCE.yml; "
               f"{len(m['outputs'])} outputs match the manifest")


def _check(config) -> tuple[list[tuple[int, str]], object, dict]:
    import pandas as pd

    from yrdlib import errors
    from yrdlib.data import breaks, schema, sources
    from yrdlib.data import build as b

    problems = [(errors.EXIT_DATA, p) for p in sources.check_hashes()]
    m = b.read_manifest()
    if m is None:
        return problems + [(errors.EXIT_STALE, "data/processed/ has not been built: run "
                            "`yrd data build`")], None, {}
    bad = b.damaged_outputs(config.PROCESSED, m)
    if bad:
        return problems + [(errors.EXIT_STALE, f"data/processed/{bad[0]}: sha256 differs from "
                            "manifest.json (damaged); run `yrd data build`")], None, m
    if not problems and b.status() == "stale":
        problems.append((errors.EXIT_STALE, "data/processed/ is stale: inputs changed since it "
                         "was built; run `yrd data build`"))
    panel = pd.read_parquet(config.PROCESSED / "panel.parquet")
    try:
        schema.validate(panel)
        undecided, stale = breaks.review(panel)
    except errors.DataError as e:
        problems.append((errors.EXIT_DATA, str(e)))
        return problems, panel, m
    for line in stale:
        click.echo(f"warning: {line}", err=True)
    # a detected break without a reviewed decision fails the check: new data cannot slip through
    problems += [(errors.EXIT_DATA, line) for line in undecided]
    return problems, panel, m


@data.command()
@click.argument("region")
@click.option("-i", "--indicator", "keys", multiple=True, help="Indicator key(s); default all.")
@click.option("--lang", type=click.Choice(["zh", "en", "both"]), default="both")
def show(region: str, keys: tuple[str, ...], lang: str) -> None:
    """Print a region's series (code, Chinese or English name)."""
    import pandas as pd

    from yrdlib import errors, regions
    from yrdlib.data import indicators, panel

    try:
        r = regions.resolve(region)
    except regions.RegionError as e:
        click.echo(f"error: {e}", err=True)
        sys.exit(errors.EXIT_USAGE)
    try:
        s = panel.series(r.code, list(keys) or None)
    except Exception as e:  # noqa: BLE001 - damaged data, I/O: one line
        errors.fail(e)
    click.echo(f"{r.name_zh} {r.name_en} ({r.code}, {r.province_en}, {r.level}"
               + (f", YRD member since {r.yrd_join_year}" if r.yrd_join_year else "") + ")")
    if s.empty:
        click.echo("no data")
        return
    s.columns = [f"{indicators.label(c, lang)} [{indicators.get(c).unit}]" for c in s.columns]
    with pd.option_context("display.max_rows", 200, "display.max_columns", 200, "display.width", 250):
        click.echo(s.T.to_string(float_format=lambda x: f"{x:,.2f}", na_rep="—"))


@data.command("hash-sources")
@click.option("--reason", required=True, help="Why the raw extracts changed (recorded).")
@click.option("--by", default=None, help="Who records it (default: $USER / git user.name).")
def hash_sources(reason: str, by: str | None) -> None:
    """Record every new, changed or removed raw file in its SOURCE.yml, each with a `changes:`
    entry (who, when, why, old and new sha256), as accept-source does file by file."""
    import os

    from yrdlib import errors
    from yrdlib.data import sources

    who = by or os.environ.get("GIT_AUTHOR_NAME") or os.environ.get("USER") or "unknown"
    try:
        for line in sources.write_hashes(reason=reason, by=who):
            click.echo(line)
    except Exception as e:  # noqa: BLE001
        errors.fail(e)


@data.command("accept-source")
@click.argument("file", metavar="FOLDER/FILE")
@click.option("--reason", required=True, help="Why the raw extract changed (recorded).")
@click.option("--by", default=None, help="Who accepts it (default: $USER / git user.name).")
def accept_source(file: str, reason: str, by: str | None) -> None:
    """Accept an intended change of a raw extract: record its new sha256 in SOURCE.yml with
    who, when and why (the build refuses changed raw files until then)."""
    import os

    from yrdlib import errors
    from yrdlib.data import sources

    who = by or os.environ.get("GIT_AUTHOR_NAME") or os.environ.get("USER") or "unknown"
    try:
        click.echo(sources.accept_change(file, reason, who))
    except Exception as e:  # noqa: BLE001
        errors.fail(e)
