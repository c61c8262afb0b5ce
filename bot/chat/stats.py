"""/stats and /report in the staff's chat: the transparency figures of a period.

`/stats [from] [to]` answers the outreach figures in the seed paper's words and a PNG bar chart
of the events by audience and by year; `/report [from] [to]` sends the HTML transparency page
and the CSV of the same figures as documents. Dates are YYYY-MM-DD, both days included; one
date runs to today; none gives the current review period
(storage.figures.statistics.default_period). Anything else gets the usage hint. Staff and
admins only: the role check is the staff bot's own (`staff_role`), so outsiders get its
refusal. Every figure comes from storage.figures.statistics, computed in a worker thread
with a Session of its own; the words come from templates/chat/<language>/stats.html.j2.
"""

import asyncio
import logging
import re
from collections.abc import Awaitable, Callable, Sequence
from datetime import date, datetime
from typing import Any

from sqlalchemy import Engine
from sqlmodel import Session
from telegram import Update
from telegram.constants import ParseMode
from telegram.ext import Application, CommandHandler, ContextTypes

from bot.render.charts import outreach_chart_png
from bot.render.page import report_html
from bot.render.report import report_csv
from bot.render.templates import DEFAULT_LANGUAGE, environment
from bot.render.words import chart_labels
from storage.figures.statistics import (
    Period,
    TransparencyFigures,
    default_period,
    transparency_figures,
)
from storage.staff import StaffRole

__all__ = ["STATS_COMMANDS", "add_stats_handlers", "parse_period", "stats_say"]

log = logging.getLogger(__name__)

STATS_COMMANDS = ("stats", "report")
_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")

App = Application[Any, Any, Any, Any, Any, Any]
RoleCheck = Callable[[Update], Awaitable[StaffRole | None]]


def stats_say(message: str, **params: Any) -> str:
    """One message of templates/chat/en/stats.html.j2 (Telegram HTML, values escaped)."""
    template = environment().get_template(f"chat/{DEFAULT_LANGUAGE}/stats.html.j2")
    return str(getattr(template.module, message)(**params)).strip()


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
    chart = (outreach_chart_png(figures.outreach, chart_labels(DEFAULT_LANGUAGE))
             if figures.outreach.events else None)
    return stats_say("stats", figures=figures), chart


def _report_files(engine: Engine, period: Period, today: date) -> list[tuple[str, bytes]]:
    """(file name, content): the HTML page and the CSV, as `outreach report` writes them."""
    figures = _figures(engine, period)
    name = f"transparency-{period.start}-{period.end}"
    return [
        (f"{name}.html", report_html(figures, DEFAULT_LANGUAGE, generated_on=today)
         .encode("utf-8")),
        (f"{name}.csv", report_csv(figures).encode("utf-8")),
    ]


async def _reply(update: Update, text: str) -> None:
    if update.effective_message is not None:
        await update.effective_message.reply_text(text, parse_mode=ParseMode.HTML)


def add_stats_handlers(application: App, engine: Engine, clock: Callable[[], datetime],
                       staff_role: RoleCheck) -> None:
    """Register /stats and /report; `staff_role` answers outsiders and returns their role."""

    async def period_of(update: Update, context: ContextTypes.DEFAULT_TYPE,
                        usage: str) -> Period | None:
        if await staff_role(update) is None:
            return None
        period = parse_period(list(context.args or []), clock().date())
        if period is None:
            await _reply(update, stats_say(usage))
        return period

    async def on_stats(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        period = await period_of(update, context, "stats_usage")
        if period is None:
            return
        text, chart = await asyncio.to_thread(_stats, engine, period)
        await _reply(update, text)
        message = update.effective_message
        if chart is not None and message is not None:
            await message.reply_photo(chart, filename="outreach.png",
                                      caption=stats_say("chart_caption", period=period))

    async def on_report(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        period = await period_of(update, context, "report_usage")
        message = update.effective_message
        if period is None or message is None:
            return
        files = await asyncio.to_thread(_report_files, engine, period, clock().date())
        user = update.effective_user
        log.info("telegram /report by user %s", None if user is None else user.id)
        for index, (name, content) in enumerate(files):
            await message.reply_document(
                content, filename=name,
                caption=stats_say("report_caption", period=period) if index == 0 else None)

    application.add_handler(CommandHandler("stats", on_stats))
    application.add_handler(CommandHandler("report", on_report))
