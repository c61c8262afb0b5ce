"""Benchmark: the transparency figures at a million events, and /stats at 25,000.

    .venv/bin/python bench/transparency_figures.py [--backend sqlite|postgresql|both]
        [--events 1000000] [--small 25000] [--runs 7]

For each backend: a throw-away database (bench/_common.database: a SQLite file in a temporary
folder, or a PostgreSQL database created on OUTREACH_BENCH_POSTGRES_URL and dropped after),
migrated, with the reference data and `--events` invented events (2004-2026, with audiences,
host countries, types, organisation involvement; 1 % soft-deleted) bulk-inserted in one
transaction (sqlite3 executemany; PostgreSQL COPY) with the tally triggers set aside, the
monthly tally rebuilt after (storage.figures.tally.rebuild), then ANALYZE (VACUUM ANALYZE on
PostgreSQL, as autovacuum would). The `--small` database is filled through the triggers.

Timed, each `--runs` times after one warm-up run, median printed (min and max beside it,
and the median CPU time of this process: on SQLite all the work, on PostgreSQL the client's
share; under load from other processes it tells the work from the waiting):

- outreach figures (storage.figures.statistics.outreach_figures) over the whole span: every event;
- outreach figures over the current review period (2022-04-16 to today), about a fifth;
- all transparency figures (transparency_figures: outreach, reporting, visits, peer reviews);
- then in a second database of `--small` events, what /stats does apart from sending:
  transparency_figures plus the PNG chart (bot.render.charts.outreach_chart_png).

Targets: outreach figures under 200 ms at 1,000,000 events; figures + chart under 1 s at
25,000 events.
"""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import argparse
import random
import statistics
import tempfile
import time
from collections.abc import Callable, Iterator
from datetime import date, timedelta
from typing import Any

from sqlalchemy import Engine, text
from sqlmodel import Session, col, select

from bench._common import BACKENDS, Backend, database, out
from bot.render.charts import outreach_chart_png
from bot.render.words import chart_labels
from storage.db import make_engine
from storage.events import AUDIENCE_BITS, EventType, IroInvolvement
from storage.figures.statistics import (
    Period,
    TransparencyFigures,
    default_period,
    outreach_figures,
    transparency_figures,
)
from storage.figures.tally import rebuild
from storage.parties import Party, PartyKind

FIRST_DAY = date(2004, 4, 28)
LAST_DAY = date(2026, 11, 27)
CREATED = "2026-11-27 06:00:00.000000"
FIGURES_TARGET_S = 0.200
STATS_TARGET_S = 1.0
# Chance that an event has each audience, and weights of types and involvement: roughly the
# paper's mix (104 of 249 to States; 82 % with organisations).
AUDIENCE_ODDS = {"states": 0.42, "academia": 0.06, "industry": 0.07, "parliamentarians": 0.04,
                 "civil_society": 0.05, "organisations": 0.30}
TYPES = [t.value for t in EventType]
TYPE_WEIGHTS = [30, 25, 5, 4, 2, 10, 12, 10, 2]
INVOLVEMENTS = [i.value for i in IroInvolvement]
INVOLVEMENT_WEIGHTS = [30, 30, 22, 18]
COLUMNS = ("id", "title", "start_date", "end_date", "city", "country_party_id", "mode", "type",
           "iro_involvement", "participants", "committee_role", "source_url", "notes",
           "audience_bits", "deleted_at", "created_by", "created_at", "updated_at")


def invented_events(count: int, state_ids: list[int], seed: int = 1540
                    ) -> Iterator[tuple[tuple[Any, ...], list[str]]]:
    """(event row in COLUMNS order, its audiences), deterministic for a seed."""
    rng = random.Random(seed)
    span = (LAST_DAY - FIRST_DAY).days
    types = rng.choices(TYPES, TYPE_WEIGHTS, k=count)
    involvements = rng.choices(INVOLVEMENTS, INVOLVEMENT_WEIGHTS, k=count)
    for index in range(count):
        day = FIRST_DAY + timedelta(days=rng.randrange(span + 1))
        audiences = [name for name, odds in AUDIENCE_ODDS.items() if rng.random() < odds]
        bits = sum(AUDIENCE_BITS[name] for name in audiences)
        country = rng.choice(state_ids) if rng.random() < 0.8 else None
        deleted = CREATED if rng.random() < 0.01 else None
        row = (index + 1, f"Invented event {index + 1}", day.isoformat(), day.isoformat(), "",
               country, "in_person" if country else "virtual", types[index],
               involvements[index], None, None, "", "", bits, deleted, "bench", CREATED,
               CREATED)
        yield row, audiences


def _state_ids(engine: Engine) -> list[int]:
    with Session(engine) as session:
        return [i for i in session.exec(
            select(col(Party.id)).where(Party.kind == PartyKind.STATE)) if i is not None]


def fill(engine: Engine, count: int, *, triggers: bool = True) -> float:
    """Insert `count` invented events with their audiences; seconds taken.

    With `triggers` off, the tally triggers are set aside during the load and the tally is
    rebuilt in one statement per dimension after it, as one would for a bulk import.
    """
    started = time.perf_counter()
    states = _state_ids(engine)
    events: list[tuple[Any, ...]] = []
    audiences: list[tuple[int, str]] = []
    for row, names in invented_events(count, states):
        events.append(row)
        audiences.extend((row[0], name) for name in names)
    sqlite = engine.dialect.name == "sqlite"
    raw = engine.raw_connection()
    try:
        cursor = raw.cursor()
        saved: list[str] = []
        if not triggers and sqlite:
            cursor.execute("SELECT name, sql FROM sqlite_master WHERE type = 'trigger'"
                           " AND tbl_name = 'event'")
            found = cursor.fetchall()
            saved = [sql for _name, sql in found]
            for name, _sql in found:
                cursor.execute(f"DROP TRIGGER {name}")
        elif not triggers:
            cursor.execute("ALTER TABLE event DISABLE TRIGGER USER")
        if sqlite:
            marks = ", ".join("?" for _ in COLUMNS)
            cursor.executemany(f"INSERT INTO event ({', '.join(COLUMNS)}) VALUES ({marks})",
                               events)
            cursor.executemany("INSERT INTO event_audience (event_id, audience) VALUES (?, ?)",
                               audiences)
        else:
            with cursor.copy(f"COPY event ({', '.join(COLUMNS)}) FROM STDIN") as copy:
                for row in events:
                    copy.write_row(row)
            with cursor.copy("COPY event_audience (event_id, audience) FROM STDIN") as copy:
                for pair in audiences:
                    copy.write_row(pair)
        for sql in saved:
            cursor.execute(sql)
        if not triggers and not sqlite:
            cursor.execute("ALTER TABLE event ENABLE TRIGGER USER")
        raw.commit()
    finally:
        raw.close()
    if not triggers:
        with Session(engine) as session:
            rebuild(session=session)
            session.commit()
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
        connection.execute(text("ANALYZE" if sqlite else "VACUUM ANALYZE"))
    return time.perf_counter() - started


Timing = tuple[float, float, float, float]  # median, min, max wall; median CPU (s)


def timed(runs: int, work: Callable[[], object]) -> Timing:
    """Wall-clock median, min and max, and the median CPU time, after one warm-up run."""
    work()
    walls, cpus = [], []
    for _ in range(runs):
        started, cpu = time.perf_counter(), time.process_time()
        work()
        walls.append(time.perf_counter() - started)
        cpus.append(time.process_time() - cpu)
    return statistics.median(walls), min(walls), max(walls), statistics.median(cpus)


def line(name: str, result: Timing, target: float | None = None) -> None:
    median, low, high, cpu = result
    verdict = ""
    if target is not None:
        verdict = f"  target < {target * 1000:.0f} ms: {'met' if median < target else 'MISSED'}"
    out(f"  {name:<44} median {median * 1000:8.1f} ms  (min {low * 1000:.1f}, "
        f"max {high * 1000:.1f}; CPU {cpu * 1000:.1f}){verdict}")


def query_plan(engine: Engine, period: Period) -> list[str]:
    """How the database reads the monthly tally for the figures (to check the key is used)."""
    sql = ("SELECT dimension, value, sum(events) FROM event_month_tally"
           " WHERE dimension IN ('iro', 'country') AND month >= :start AND month <= :end"
           " GROUP BY dimension, value")
    explain = "EXPLAIN QUERY PLAN " if engine.dialect.name == "sqlite" else "EXPLAIN "
    with engine.connect() as connection:
        rows = connection.execute(text(explain + sql),
                                  {"start": period.start, "end": period.end})
        return [str(row[-1]) for row in rows]


def bench_large(url: str, count: int, runs: int) -> None:
    engine = make_engine(url)
    try:
        seconds = fill(engine, count, triggers=False)
        out(f"  filled {count:,} events in {seconds:.1f} s (bulk: tally rebuilt after)")
        everything = Period(FIRST_DAY, LAST_DAY)
        review = default_period(LAST_DAY)
        for plan_line in query_plan(engine, everything):
            out(f"    plan: {plan_line}")

        def figures(period: Period) -> Callable[[], object]:
            def run() -> object:
                with Session(engine) as session:
                    return outreach_figures(session=session, period=period)
            return run

        with Session(engine) as session:
            result = outreach_figures(session=session, period=everything)
        out(f"  events counted: {result.events:,} (live, whole span); "
            f"with organisations {result.percent_with_organisations} %; "
            f"by audience {dict(result.by_audience)}")
        line("outreach figures, whole span", timed(runs, figures(everything)),
             FIGURES_TARGET_S)
        line(f"outreach figures, {review.start} to {review.end}", timed(runs, figures(review)),
             FIGURES_TARGET_S)

        def everything_figures() -> object:
            with Session(engine) as session:
                return transparency_figures(session=session, period=everything)

        line("all transparency figures, whole span", timed(runs, everything_figures))
    finally:
        engine.dispose()


def bench_stats(url: str, count: int, runs: int) -> None:
    engine = make_engine(url)
    period = Period(FIRST_DAY, LAST_DAY)
    labels = chart_labels("en", period)
    try:
        seconds = fill(engine, count)
        out(f"  filled {count:,} events in {seconds:.1f} s, row by row through the tally "
            f"triggers ({seconds / count * 1e6:.0f} us per event)")

        def figures() -> TransparencyFigures:
            with Session(engine) as session:
                return transparency_figures(session=session, period=period)

        def stats() -> bytes:
            return outreach_chart_png(figures().outreach, labels)

        line(f"/stats: figures + PNG chart, {count:,} events", timed(runs, stats),
             STATS_TARGET_S)
        line("  of which all transparency figures", timed(runs, figures))
        outreach = figures().outreach
        line("  of which the PNG chart", timed(runs, lambda: outreach_chart_png(outreach,
                                                                                 labels)))
        out(f"  PNG: {len(stats()):,} bytes")
    finally:
        engine.dispose()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("--backend", choices=[*BACKENDS, "both"], default="both")
    parser.add_argument("--events", type=int, default=1_000_000)
    parser.add_argument("--small", type=int, default=25_000)
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    backends: list[Backend] = list(BACKENDS) if args.backend == "both" else [args.backend]
    started = time.perf_counter()
    for backend in backends:
        out(f"{backend}:")
        with tempfile.TemporaryDirectory() as folder, database(backend, Path(folder)) as url:
            bench_large(url, args.events, args.runs)
        with tempfile.TemporaryDirectory() as folder, database(backend, Path(folder)) as url:
            bench_stats(url, args.small, args.runs)
    out(f"done in {time.perf_counter() - started:.0f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
