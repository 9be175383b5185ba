"""``extract lexicon check`` and ``extract lexicon build-places``."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

lexicon_app = typer.Typer(help="Validate and build the gazetteer lexicons (actors, places, crossings).",
                          no_args_is_help=True)


@lexicon_app.command("check")
def check_command(
    directory: Annotated[Path | None, typer.Option(
        "--dir", exists=True, file_okay=False,
        help="A folder of lexicon files layered over the shipped ones, as `extract run --lexicons` reads it (default: the shipped ones alone).")] = None,
) -> None:
    """Validate the actor, place and crossing lexicons; exit 1 on errors.

    Ids unique, parents known, coordinates in range (Syrian places inside Syria), types from
    the allowed set, no alias shared by two entries without a rule in disambiguation.tsv.
    """
    from ..rules.lexicon import LexiconError, check, load_lexicons

    try:
        lexicons = load_lexicons(str(directory) if directory else None)
    except LexiconError as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(1) from None
    problems = check(lexicons)
    for problem in problems:
        typer.echo(str(problem), err=True)
    errors = sum(1 for p in problems if p.severity == "error")
    counts = {kind: sum(1 for e in lexicons.entries if e.kind == kind) for kind in ("actor", "place", "crossing")}
    typer.echo(f"{counts['actor']} actors, {counts['place']} places, {counts['crossing']} crossings: "
               f"{errors} error(s), {len(problems) - errors} warning(s)")
    if errors:
        raise typer.Exit(1)


@lexicon_app.command("build-places")
def build_places_command(
    geonames: Annotated[Path, typer.Option("--geonames", exists=True, dir_okay=False,
                                           help="geonames_places.tsv (GeoNames extract, CC BY 4.0).")],
    out: Annotated[Path | None, typer.Option(help="Output file (default: extract/lexicons/places.tsv).")] = None,
) -> None:
    """Derive places.tsv from GeoNames plus the curation files next to it."""
    from .build_places import HERE, build

    target = out or HERE / "places.tsv"
    rows, notes = build(geonames, target)
    typer.echo(f"wrote {target}: {rows} places; {len(notes)} shared alias(es) resolved (listed in its header)")
