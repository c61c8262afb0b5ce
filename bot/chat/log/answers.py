"""The answers of a guided /log: what the person types or presses at each question, and Save.

Each state of the conversation (bot.chat.log.steps.Step) has two handlers, bound to their
step by bot.chat.log.conversation: on_text for a typed answer (checked by
bot.chat.log.steps; a hint and the same question when it does not do) and on_press for its
own question's buttons (bot.chat.log.keyboards). Both read the draft through
bot.chat.log.guided.current, so a draft that waited too long is dropped, not answered.
Save checks the row with the importer (bot.chat.log.rows): problems are shown with the
summary again and nothing is lost. A button no question waits for is answered "already
answered" (on_stale). Logs name user ids and event ids only.
"""

import asyncio
import logging

from telegram import Update
from telegram.ext import ContextTypes, ConversationHandler

from bot.chat.access import actor, staff_role
from bot.chat.common import answer, edit, edit_buttons, services
from bot.chat.log import keyboards as keys
from bot.chat.log import rows
from bot.chat.log.guided import current, drop
from bot.chat.log.keyboards import say
from bot.chat.log.questions import advance, answered, ask, items, picker, show_summary
from bot.chat.log.steps import EDITABLE, FREE_TEXT, Guided, Step, parse_day, take_date, take_text
from storage.events import (
    Audience,
    CommitteeRole,
    EventMode,
    EventType,
    IroInvolvement,
    LeadBody,
)

__all__ = ["on_press", "on_stale", "on_text"]

log = logging.getLogger(__name__)

Context = ContextTypes.DEFAULT_TYPE

# callback kind -> (the row's column, the values it takes, the words of a value)
_CHOICES: dict[str, tuple[str, list[str], str]] = {
    "mode": ("mode", [*EventMode], "mode_words"),
    "type": ("type", [*EventType], "type_words"),
    "iro": ("iro_involvement", [*IroInvolvement], "involvement_words"),
    "role": ("committee_role", [*CommitteeRole, "none"], "committee_role_words"),
    "lead": ("lead_body", [*LeadBody], "lead_body_words"),
}


async def on_text(step: Step, update: Update, context: Context) -> object:
    """A typed answer to `step`'s question (buttons-only questions answer with a hint)."""
    guided = await current(update, context)
    message = update.effective_message
    if guided is None or message is None:
        return ConversationHandler.END
    text = (message.text or "").strip()
    found = services(context)
    hint = (await take_text(step, guided, text, found.engine, found.clock().date())
            if step in FREE_TEXT else say("hint_buttons"))
    if hint:
        return await ask(update, context, step, guided, hint)
    return await advance(update, context, step, guided)


async def on_press(step: Step, update: Update, context: Context) -> object:
    """A press of one of `step`'s own buttons ("lc:<kind>:<value>")."""
    query = update.callback_query
    guided = await current(update, context)
    if query is None or not isinstance(query.data, str) or guided is None:
        return ConversationHandler.END
    _, kind, value = query.data.split(":", 2)
    if kind in ("start", "end"):
        return await _take_day(update, context, step, guided, value)
    if kind == "aud":
        return await _take_audience(update, context, step, guided, value)
    if kind == "skip":
        return await _take_skip(update, context, step, guided)
    if kind == "sum":
        return await _take_summary(update, context, guided, value)
    if kind == "field":
        return await _take_field(update, context, guided, value)
    return await _take_choice(update, context, step, guided, kind, value)


async def on_stale(update: Update, context: Context) -> object:
    """A button of an earlier question, or of a conversation that is over."""
    query = update.callback_query
    if query is not None:
        await answer(query, None if query.data == keys.NOOP else say("stale_button"))
    return None


async def _take_audience(update: Update, context: Context, step: Step, guided: Guided,
                         value: str) -> object:
    """Tick or untick an audience (the same keyboard, redrawn), or Done."""
    query = update.callback_query
    assert query is not None
    row = guided.row
    chosen = set(items(row.get("audiences", "")))
    if value == "done":
        row["audiences"] = ";".join(a.value for a in Audience if a.value in chosen)
        words = [say("audience_words", value=a) for a in items(row["audiences"])]
        await answered(update, step, ", ".join(words) or say("none_chosen"))
        return await advance(update, context, step, guided)
    audience = value.removeprefix("toggle:")
    if audience in {a.value for a in Audience}:
        chosen ^= {audience}
        row["audiences"] = ";".join(a.value for a in Audience if a.value in chosen)
    await answer(query)
    await edit_buttons(query, keys.audiences(chosen))
    return step


async def _take_skip(update: Update, context: Context, step: Step, guided: Guided) -> object:
    """No answer: the place of a virtual event, the organisers, an optional extra."""
    query = update.callback_query
    assert query is not None
    row = guided.row
    if step is Step.PLACE and row.get("mode") != EventMode.VIRTUAL:
        await answer(query)
        return await ask(update, context, step, guided, say("hint_needs_place"))
    if step is Step.PLACE:
        row.update(city="", country="")
        guided.country = ""
    else:
        row[step.value] = ""
    await answered(update, step, say("skipped"))
    return await advance(update, context, step, guided)


async def _take_choice(update: Update, context: Context, step: Step, guided: Guided,
                       kind: str, value: str) -> object:
    column, allowed, words = _CHOICES[kind]
    if value not in allowed:
        return await on_stale(update, context)
    guided.row[column] = "" if value == "none" else value
    await answered(update, step, say(words, value=guided.row[column]))
    return await advance(update, context, step, guided)


async def _take_day(update: Update, context: Context, step: Step, guided: Guided,
                    value: str) -> object:
    """A day pressed on the month grid, "Same day", or another month to show."""
    query = update.callback_query
    assert query is not None
    action, _, when = value.partition(":")
    today = services(context).clock().date()
    if action == "month":
        month = parse_day(f"{when}-01")
        await answer(query)
        if month is not None:
            await edit_buttons(query, picker(step, month, today))
        return step
    text = guided.row.get("start_date", "") if action == "same" else when
    hint = take_date(step, guided, text, today)
    if hint:
        await answer(query)
        return await ask(update, context, step, guided, hint)
    await answered(update, step, text)
    return await advance(update, context, step, guided)


async def _take_summary(update: Update, context: Context, guided: Guided,
                        action: str) -> object:
    query = update.callback_query
    assert query is not None
    if action == "edit":
        await answer(query)
        await edit_buttons(query, keys.edit_menu([step.value for step in EDITABLE]))
        return Step.EDIT_MENU
    if action == "cancel":
        drop(update, context)
        await answer(query)
        await edit(query, say("cancelled", title=guided.row.get("title", "")))
        return ConversationHandler.END
    return await _save(update, context, guided)


async def _take_field(update: Update, context: Context, guided: Guided, name: str) -> object:
    """A field chosen in the Edit menu: its question, then back to the summary."""
    query = update.callback_query
    assert query is not None
    await answer(query)
    if name == "back":
        await edit_buttons(query, keys.summary_buttons())
        return Step.SUMMARY
    step = next((step for step in EDITABLE if step.value == name), None)
    if step is None:
        return Step.EDIT_MENU
    await edit_buttons(query, None)
    guided.editing = True
    return await ask(update, context, step, guided)


async def _save(update: Update, context: Context, guided: Guided) -> object:
    query, user = update.callback_query, update.effective_user
    assert query is not None and user is not None
    if await staff_role(update, context) is None:
        await answer(query)
        drop(update, context)
        return ConversationHandler.END
    found = services(context)
    try:
        saved = await asyncio.to_thread(rows.save, found.engine, dict(guided.row),
                                        guided.event_id, actor(update), found.clock())
    except Exception:
        log.exception("telegram /log by user %s: not saved", user.id)
        await answer(query, say("failed"))
        return Step.SUMMARY
    await answer(query)
    if saved.problems or saved.clash:
        await edit_buttons(query, None)
        problems = saved.problems or [say("event_clash")]
        return await show_summary(update, context, guided, problems=problems)
    drop(update, context)
    title = guided.row.get("title", "")
    if saved.gone:
        text = say("event_gone", event_id=guided.event_id)
    elif not saved.changed:
        text = say("unchanged", title=title)
    else:
        text = say("saved" if guided.event_id is None else "amended", title=title)
    log.info("telegram /log by user %s: event %s %s", user.id, guided.event_id or "(new)",
             "gone" if saved.gone else "saved" if saved.changed else "unchanged")
    await edit(query, text)
    return ConversationHandler.END
