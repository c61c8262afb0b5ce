"""`outreach report`: the transparency figures of a period as text, JSON, CSV, HTML or XLSX.

The HTML page is imported when one is asked for: its chart needs matplotlib, which the rest
of the CLI starts without.
"""

import os
import tempfile
from datetime import date
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from bot.cli.common import day_option, fail, registry, say, today
from bot.render.report import ReportFormat, report_csv, report_json, report_text, report_xlsx
from bot.render.tables import for_excel
from storage.figures.freshness import DEFAULT_SILENT_SINCE
from storage.figures.statistics import (
    Period,
    TransparencyFigures,
    default_period,
    transparency_figures,
)


class ReportLanguage(StrEnum):
    AR = "ar"
    ZH = "zh"
    EN = "en"
    FR = "fr"
    RU = "ru"
    ES = "es"


BINARY_OR_PAGE = (ReportFormat.HTML, ReportFormat.XLSX)


def period_of(start: str | None, end: str | None, on: date) -> Period:
    """The period the options name: missing ends from the current review period."""
    end_day = day_option(end, "--to") or on
    start_day = day_option(start, "--from") or default_period(end_day).start
    if start_day > end_day:
        fail("period_reversed", exit_code=2, start=start_day, end=end_day)
    return Period(start_day, end_day)


def monitoring_of(since: str | None, period: Period) -> Period:
    """The monitoring window: from `--since` (default: the period's start) to its end."""
    start_day = day_option(since, "--since") or period.start
    if start_day > period.end:
        fail("since_after_end", exit_code=2, since=start_day, end=period.end)
    return Period(start_day, period.end)


def _umask() -> int:
    """The process's umask (reading it means setting it: put back at once)."""
    mask = os.umask(0o077)
    os.umask(mask)
    return mask


def _write(path: Path, content: bytes) -> None:
    """All of the file or none of it: written beside, then renamed over.

    A report is meant to be shared: its mode follows the umask, as a file a shell or `cp`
    creates, not mkstemp's owner-only 0600."""
    if not path.parent.is_dir():
        fail("no_such_folder", exit_code=2, path=path.parent)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    try:
        os.fchmod(handle, 0o666 & ~_umask())
        with os.fdopen(handle, "wb") as file:
            file.write(content)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def render_report(figures: TransparencyFigures, fmt: ReportFormat, language: str,
                  today: date, excel: bool = False) -> bytes:
    """The report as `fmt`; a CSV behind a UTF-8 BOM when `excel` is set."""
    if fmt is ReportFormat.XLSX:
        return report_xlsx(figures)
    if fmt is ReportFormat.HTML:
        from bot.render.page import report_html

        text = report_html(figures, language, generated_on=today)
    elif fmt is ReportFormat.JSON:
        text = report_json(figures)
    elif fmt is ReportFormat.CSV:
        text = for_excel(report_csv(figures), excel)
    else:
        text = report_text(figures, language)
    return (text.rstrip("\n") + "\n").encode("utf-8")


def report(
    ctx: typer.Context,
    start: Annotated[str | None, typer.Option(
        "--from", help="First day of the period, included (YYYY-MM-DD); default: the start "
        "of the current review period, 2022-04-16.")] = None,
    end: Annotated[str | None, typer.Option(
        "--to", help="Last day of the period, included (YYYY-MM-DD); default: today.")] = None,
    fmt: Annotated[ReportFormat, typer.Option(
        "--format", help="text (the paper's sentences), json (keys in docs/report-json.md), "
        "csv (section, figure, value), html (a self-contained page) or xlsx (a sheet per "
        "section).")] = ReportFormat.TEXT,
    out: Annotated[Path | None, typer.Option(
        help="Write to this file. Without it text, json and csv go to the screen; html and "
        "xlsx go to DATA_DIR/reports/.")] = None,
    lang: Annotated[ReportLanguage, typer.Option(
        help="Language of the words (text and html; English where a translation is "
        "missing).")] = ReportLanguage.EN,
    excel: Annotated[bool, typer.Option(
        "--excel", help="With --format csv: start with a UTF-8 byte order mark, so that Excel "
        "shows every language's letters (no effect on other formats).")] = False,
    since: Annotated[str | None, typer.Option(
        "--since", help="First day of the monitoring window (YYYY-MM-DD), which runs to "
        "--to: the reporting and training figures count over it (the paper's \"since "
        "2016\"); default: the period's start.")] = None,
    silent_since: Annotated[int, typer.Option(
        "--silent-since", min=2004, max=9999, help="List the reporting States with no "
        "national report or additional information dated on or after 1 January of this "
        "year.")] = DEFAULT_SILENT_SINCE,
) -> None:
    """The Committee's transparency figures for a period (both days included): outreach
    events, reporting, Points of Contact, action plans, visits, peer reviews, assistance and
    the Committee's matrices."""
    on = today(ctx)
    period = period_of(start, end, on)
    monitoring = monitoring_of(since, period)
    with registry(ctx) as (cli, session):
        figures = transparency_figures(session=session, period=period, monitoring=monitoring,
                                       silent_since=silent_since)
        data_dir = cli.settings.data_dir
    content = render_report(figures, fmt, lang.value, on, excel)
    if out is None and fmt not in BINARY_OR_PAGE:
        typer.echo(content.decode("utf-8"), nl=False)
        return
    if out is None:
        folder = data_dir / "reports"
        folder.mkdir(parents=True, exist_ok=True)
        out = folder / f"transparency-{period.start}-{period.end}-{lang.value}.{fmt.value}"
    _write(out, content)
    say("written_to", path=out)
