"""`outreach demo`: the whole registry on invented data, in one command, with no server."""

import asyncio
import shutil
from datetime import date, datetime
from pathlib import Path

import typer
from sqlalchemy import Engine
from sqlmodel import Session

from bot.channels.email.eml import EmlFileSender
from bot.delivery.dispatcher import Dispatcher, LinkSettings
from bot.demo.assistance import load_invented_assistance
from bot.demo.dataset import POC_COLUMNS, SUBMISSION_COLUMNS, build_paper_dataset, write_csv
from bot.demo.events import EVENT_COLUMNS, build_paper_events
from bot.demo.letters import load_invented_letter
from bot.demo.matrices import load_invented_matrices
from bot.demo.monitoring import invented_text, load_invented_monitoring
from bot.demo.trainings import (
    MONITORING,
    demo_monitoring,
    load_invented_trainings,
    paper_courses,
    paper_freshness,
)
from bot.demo.visits import load_invented_visits
from bot.render.charts import outreach_chart_png
from bot.render.page import report_html
from bot.render.report import report_data
from bot.render.templates import DEFAULT_LANGUAGE, long_date, message, render
from bot.render.words import chart_labels
from bot.render.words import labels as report_words
from bot.settings import Settings
from storage import outbox, parties, pocs
from storage.db import make_engine, migrate, session_scope
from storage.figures.statistics import PAPER_PERIOD, transparency_figures
from storage.figures.status import reporting_status
from storage.imports.events import import_events
from storage.imports.pocs import import_pocs
from storage.imports.submissions import import_submissions
from storage.imports.tabular import read_table
from storage.reference_data import load_reference_data

DEMO_ACTOR = "demo"
SAMPLE_TEMPLATE = "contact_check"
# The paper counts submissions "since 2016"; the demo shows the same window.
PAPER_SINCE = date(2016, 1, 1)


def _fresh_sqlite(path: Path) -> None:
    for suffix in ("", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)


def load_invented_data(session: Session, folder: Path, now: datetime) -> None:
    """Write the invented PoCs, submissions and events as CSV files in `folder` and import
    them into the registry of `session` (reference data loaded), as a user's files would be;
    then the invented assistance requests, providers and offers, the matrices, the visits,
    and the peer reviews, action plans in preparation and regional coordinators."""
    states = [(p.code, p.iso2 or "") for p in parties.states(session=session)]
    organisations = [p.code for p in parties.organisations(session=session)]
    dataset = build_paper_dataset(states, organisations)
    write_csv(dataset.pocs, POC_COLUMNS, folder / "pocs.csv")
    write_csv(paper_freshness(dataset.submissions), SUBMISSION_COLUMNS,
              folder / "submissions.csv")
    write_csv(paper_courses(build_paper_events([code for code, _ in states], organisations)),
              EVENT_COLUMNS, folder / "events.csv")
    # Through the real importers, so the demo exercises what a user's files go through.
    for importer, name in ((import_pocs, "pocs.csv"), (import_submissions, "submissions.csv"),
                           (import_events, "events.csv")):
        report = importer(session=session, table=read_table(folder / name), actor=DEMO_ACTOR,
                          today=now.date(), now=now)
        if report.problems:
            raise RuntimeError(f"the invented data set failed its own import: {report.problems}")
    load_invented_assistance(session, now)
    load_invented_matrices(session, now)
    load_invented_visits(session, now)
    load_invented_monitoring(session, now)
    load_invented_trainings(session, now)
    load_invented_letter(session)


def _send_sample(engine: Engine, folder: Path, now: datetime, settings: Settings,
                 links: LinkSettings) -> tuple[int, Path]:
    """The contact check to one invented PoC per UN language, written as .eml files with the
    headers and links real mail gets from the same settings (never by SMTP or Telegram)."""
    with session_scope(engine) as session:
        first_by_language: dict[str, int] = {}
        for view in pocs.listing(session=session):
            if view.emails and view.poc.id is not None:
                first_by_language.setdefault(view.poc.language, view.poc.id)
        audience = outbox.audience_of(session=session, poc_ids=list(first_by_language.values()))
        outbox.enqueue(session=session, kind="one_off", template=SAMPLE_TEMPLATE, context={},
                       audience="demo: one PoC per language", recipients=audience.recipients,
                       created_by=DEMO_ACTOR, now=now)
    mail_folder = folder / "outbox-mail"
    sender = EmlFileSender(mail_folder, mail_from=settings.mail_from,
                           reply_to=settings.reply_to)
    dispatcher = Dispatcher(engine=engine, email=sender, telegram=None,
                            links=links)
    stats = asyncio.run(dispatcher.run_once())
    return stats.sent, mail_folder


def _write_report(engine: Engine, folder: Path, now: datetime) -> tuple[Path, Path, str]:
    """The transparency page and the outreach chart of the paper's period, marked invented;
    and the paper's outreach sentence and its assistance and matrices sections with the demo's
    figures."""
    with session_scope(engine) as session:
        figures = transparency_figures(session=session, period=PAPER_PERIOD,
                                       monitoring=MONITORING)
    page = folder / f"transparency-{PAPER_PERIOD.start}-{PAPER_PERIOD.end}.html"
    html = report_html(figures, DEFAULT_LANGUAGE, generated_on=now.date(),
                       notice=message("demo_notice"), invented=True)
    page.write_text(html + "\n", encoding="utf-8")
    chart = folder / "outreach-chart.png"
    labels = chart_labels(DEFAULT_LANGUAGE, PAPER_PERIOD, invented=True)
    chart.write_bytes(outreach_chart_png(figures.outreach, labels))
    # beside it, the same chart at 1920 x 1080 for a presentation
    slide = folder / "outreach-chart-slide.png"
    slide.write_bytes(outreach_chart_png(figures.outreach, labels, shape="slide"))
    start = long_date(PAPER_PERIOD.start, DEFAULT_LANGUAGE)
    end = long_date(PAPER_PERIOD.end, DEFAULT_LANGUAGE)
    words = report_words(DEFAULT_LANGUAGE)
    sections = [
        message("demo_outreach", outreach=figures.outreach, start=start, end=end),
        demo_monitoring(figures),
        render("report/visits.txt.j2", figures=figures, start=start, end=end, words=words),
        render("report/assistance.txt.j2", figures=figures, start=start, end=end),
        render("report/matrices.txt.j2", figures=figures, start=start, end=end, words=words),
        render("report/cooperation.txt.j2", figures=figures, start=start, end=end),
        render("report/letters.txt.j2", figures=figures, data=report_data(figures),
               start=start, end=end),
        invented_text(figures, start, end),
    ]
    return page, chart, "\n\n".join(sections)


def run_demo(settings: Settings, now: datetime, links: LinkSettings) -> None:
    """`links`: the service's (bot.main.link_settings), so the sample mail carries the same
    unsubscribe link and Message-ID domain as real mail."""
    folder = settings.data_dir / "demo"
    folder.mkdir(parents=True, exist_ok=True)
    shutil.rmtree(folder / "outbox-mail", ignore_errors=True)  # a new demo, new mail
    database = folder / "demo.sqlite3"
    _fresh_sqlite(database)
    engine = make_engine(f"sqlite:///{database.resolve()}")
    migrate(engine)
    with session_scope(engine) as session:
        load_reference_data(session=session, now=now)
        load_invented_data(session, folder, now)
    with session_scope(engine) as session:
        figures = reporting_status(session=session, since=PAPER_SINCE)
    sent, mail_folder = _send_sample(engine, folder, now, settings, links)
    page, chart, outreach = _write_report(engine, folder, now)
    engine.dispose()
    typer.echo(message("demo_intro", path=database))
    typer.echo("")
    typer.echo(render("cli/status.txt.j2", status=figures, invented=True))
    typer.echo("")
    typer.echo(outreach)
    typer.echo("")
    typer.echo(message("demo_sent", count=sent, template=SAMPLE_TEMPLATE, path=mail_folder))
    typer.echo(message("demo_report", page=page.resolve(), chart=chart.resolve()))
