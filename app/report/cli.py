"""``flask occe report 2025-2026 [--out DIR]``: the year's activity report from the command line."""

from __future__ import annotations

import click
from flask.cli import with_appcontext


@click.command("report")
@with_appcontext
@click.argument("year_label")
@click.option("--out", "out_dir", type=click.Path(file_okay=False), default=None, help="Dossier où écrire le rapport (par défaut : instance/rapports).")
def report_command(year_label, out_dir):
    """Écrit le rapport d'activité d'une année (DOCX et PDF), par exemple : flask occe report 2025-2026."""
    from app.report.files import write_report
    from app.years.service import all_years, get_year, label_problem

    problem = label_problem(year_label)
    if problem:
        raise click.ClickException(problem)
    year = get_year(year_label)
    if year is None:
        known = ", ".join(y.label for y in all_years()) or "aucune"
        raise click.ClickException(f"L'année {year_label} n'existe pas dans la console (années connues : {known}).")
    written = write_report(year, out_dir)
    for path in written.paths:
        click.echo(f"Écrit : {path}")
    click.echo(f"{len(written.report.sections)} sections ; " + ", ".join(f"{step} {seconds:.1f} s" for step, seconds in written.seconds.items()))
    if written.report.missing:
        click.echo("Sections manquantes (voir le journal) : " + ", ".join(written.report.missing), err=True)
