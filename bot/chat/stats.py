"""/stats and /report in the staff's chat: the transparency figures of a period.

`/stats [from] [to]` answers the outreach figures in the seed paper's words and a PNG bar chart
of the events by audience and by year; `/report [from] [to]` sends the HTML transparency page
and the CSV of the same figures as documents. Dates are YYYY-MM-DD, both days included; one
date runs to today; none gives the current review period
(storage.figures.statistics.default_period). Anything else gets the usage hint. Staff and
admins only: the role check is bot.chat.access's, so outsiders get its refusal. Every
figure comes from storage.figures.statistics, computed in a worker thread with a Session of
its own; the words come from templates/chat/<language>/stats.html.j2.
"""

import asyncio
import logging
import re
from collections.abc import Sequence
from datetime import date
from functools import partial

from sqlalchemy import Engine
from sqlmodel import Session
from telegram import Update
from telegram.ext import ContextTypes

from bot.chat import common
from bot.chat.access import sender_id, staff_role
from bot.chat.common import reader_language, reply, services
from bot.render.charts import outreach_chart_png
from bot.render.page import report_html
from bot.render.report import report_csv
from bot.render.words import chart_labels
from storage.figures.statistics import (
    Period,
    TransparencyFigures,
    default_period,
    transparency_figures,
)

__all__ = ["STATS_COMMANDS", "on_report", "on_stats", "parse_period", "say"]

log = logging.getLogger(__name__)

STATS_COMMANDS = ("stats", "report")
_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")

Context = ContextTypes.DEFAULT_TYPE

say = partial(common.say, "stats")  # templates/chat/en/stats.html.j2


def parse_period(args: Sequence[str], today: date) -> Period | None:
    """The period the command's words name, or None when they do not name one."""
    if not args:
        return default_period(today)
    if len(args) > 2 or not all(_DAY.fullmatch(arg) for arg in args):
        return None
    try:
        days = [date.fromisoformat(arg) for arg in args]
        return Period(days[0], days[1] if len(days) == 2 else today)
    except ValueError:  # no such day, or the period ends before it starts
        return None


def _figures(engine: Engine, period: Period) -> TransparencyFigures:
    with Session(engine) as session:
        return transparency_figures(session=session, period=period)


def _stats(engine: Engine, period: Period) -> tuple[str, bytes | None]:
    """The text, and the chart when there is an event to draw (no empty axes)."""
    figures = _figures(engine, period)
    chart = (outreach_chart_png(figures.outreach, chart_labels(reader_language(), period))
             if figures.outreach.events else None)
    return say("stats", figures=figures), chart


def _report_files(engine: Engine, period: Period, today: date) -> list[tuple[str, bytes]]:
    """(file name, content): the HTML page and the CSV, as `outreach report` writes them."""
    figures = _figures(engine, period)
    name = f"transparency-{period.start}-{period.end}"
    return [
        (f"{name}.html", report_html(figures, reader_language(), generated_on=today)
         .encode("utf-8")),
        (f"{name}.csv", report_csv(figures).encode("utf-8")),
    ]


async def _period(update: Update, context: Context, usage: str) -> Period | None:
    """The period asked for; None when the sender was refused or told the usage."""
    if await staff_role(update, context) is None:
        return None
    period = parse_period(list(context.args or []), services(context).clock().date())
    if period is None:
        await reply(update, say(usage))
    return period


async def on_stats(update: Update, context: Context) -> None:
    period = await _period(update, context, "stats_usage")
    if period is None:
        return
    text, chart = await asyncio.to_thread(_stats, services(context).engine, period)
    await reply(update, text)
    message = update.effective_message
    if chart is not None and message is not None:
        await message.reply_photo(chart, filename="outreach.png",
                                  caption=say("chart_caption", period=period))


async def on_report(update: Update, context: Context) -> None:
    period = await _period(update, context, "report_usage")
    message = update.effective_message
    if period is None or message is None:
        return
    found = services(context)
    files = await asyncio.to_thread(_report_files, found.engine, period, found.clock().date())
    log.info("telegram /report by user %s", sender_id(update))
    for index, (name, content) in enumerate(files):
        await message.reply_document(
            content, filename=name,
            caption=say("report_caption", period=period) if index == 0 else None)
