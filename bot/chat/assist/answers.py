"""The answers of a PoC's guided /assist: what the PoC presses or types at each question,
and Send.

Each state (bot.chat.assist.draft.Step) has two handlers, bound to their step by
bot.chat.assist.conversation: on_press for its own question's buttons and on_text for typed
words (the details; elsewhere a hint to use the buttons). Both read the draft through
`current`, so a draft that waited too long is dropped, not answered. What the PoC types is
kept as typed and escaped wherever it is shown (the templates autoescape); logs name chat
ids, PoC ids and request ids only.
"""

import asyncio
import logging

from telegram import Update
from telegram.ext import ContextTypes, ConversationHandler

from bot.chat.access import poc_of
from bot.chat.assist import keyboards as keys
from bot.chat.assist import store
from bot.chat.assist.draft import Draft, Step, drafts, key
from bot.chat.assist.keyboards import say
from bot.chat.assist.questions import answered, ask, following, tell
from bot.chat.common import answer, edit, edit_buttons, services
from bot.render.templates import DEFAULT_LANGUAGE
from storage.assistance.model import DETAIL_MAX, AssistanceArea, WeaponCategory

__all__ = ["current", "drop", "language_of", "on_press", "on_stale", "on_text", "on_timeout"]

log = logging.getLogger(__name__)

Context = ContextTypes.DEFAULT_TYPE


def drop(update: Update, context: Context) -> Draft | None:
    found = key(update)
    return None if found is None else drafts(context).pop(found, None)


async def language_of(update: Update, context: Context) -> str:
    """The language of this chat's PoC (their draft's, else their record's)."""
    found = key(update)
    draft = None if found is None else drafts(context).get(found)
    if draft is not None:
        return draft.language
    poc = await poc_of(update, context)
    return DEFAULT_LANGUAGE if poc is None else poc.language


async def current(update: Update, context: Context) -> Draft | None:
    """The PoC's draft, marked as seen now; None (and the PoC told) if it waited longer than
    the timeout (a restart lost PTB's timeout job) or a restored step has no draft."""
    found = key(update)
    draft = None if found is None else drafts(context).get(found)
    if draft is None:
        await tell(update, context, say("draft_gone", await language_of(update, context)))
        return None
    now, services_ = services(context).clock(), services(context)
    if draft.last_seen is not None and now - draft.last_seen >= services_.log_timeout:
        await on_timeout(update, context)
        return None
    draft.last_seen = now
    return draft


async def on_timeout(update: Update, context: Context) -> None:
    """No answer for the timeout: the draft goes, the PoC is told."""
    draft = drop(update, context)
    if draft is None:
        return
    log.info("telegram /assist of PoC %s timed out", draft.poc_id)
    minutes = round(services(context).log_timeout.total_seconds() / 60) or 1
    await tell(update, context, say("timed_out", draft.language, minutes=minutes))


async def on_stale(update: Update, context: Context) -> object:
    """A button of an earlier question, or of a conversation that is over."""
    query = update.callback_query
    if query is not None:
        await answer(query, say("stale_button", await language_of(update, context)))
    return None


async def on_text(step: Step, update: Update, context: Context) -> object:
    """Typed words: the details of the area asked about; elsewhere a hint."""
    draft = await current(update, context)
    message = update.effective_message
    if draft is None or message is None:
        return ConversationHandler.END
    if step is not Step.DETAIL:
        return await ask(update, context, step, draft, say("hint_buttons", draft.language))
    text = (message.text or "").strip()
    if len(text) > DETAIL_MAX:
        hint = say("hint_too_long", draft.language, limit=DETAIL_MAX, length=len(text))
        return await ask(update, context, step, draft, hint)
    if text:
        draft.details[draft.area] = text
    return await ask(update, context, following(step, draft), draft)


async def on_press(step: Step, update: Update, context: Context) -> object:
    """A press of one of `step`'s own buttons ("pa:<question>:<answer>")."""
    query = update.callback_query
    draft = await current(update, context)
    if query is None or not isinstance(query.data, str) or draft is None:
        return ConversationHandler.END
    _, kind, value = query.data.split(":", 2)
    language = draft.language
    if kind == "area":
        return await _take_area(update, context, draft, value)
    if kind == "weapon":
        if value != "none" and value not in set(WeaponCategory):
            return await on_stale(update, context)
        draft.weapons.pop(draft.area, None)
        if value != "none":
            draft.weapons[draft.area] = value
        words = say("no_weapon_button", language) if value == "none" else say(
            "weapon_button", language, weapon=value)
        await answered(update, draft, words, draft.area)
    elif kind == "detail":
        draft.details.pop(draft.area, None)
        await answered(update, draft, say("no_detail_button", language), draft.area)
    elif kind == "consent":
        draft.consent = value == "yes"
        await answered(update, draft, say("yes_button" if draft.consent else "no_button",
                                          language))
    else:
        return await _take_summary(update, context, draft, value)
    return await ask(update, context, following(step, draft), draft)


async def _take_area(update: Update, context: Context, draft: Draft, value: str) -> object:
    """Tick or untick an area (the same keyboard, redrawn), or Done."""
    query = update.callback_query
    assert query is not None
    if value == "done":
        if not draft.areas:
            await answer(query, say("hint_no_area", draft.language))
            return Step.AREAS
        await edit_buttons(query, None)
        await answer(query)
        return await ask(update, context, following(Step.AREAS, draft), draft)
    area = value.removeprefix("toggle:")
    if area in set(AssistanceArea):
        chosen = set(draft.areas) ^ {area}
        draft.areas = [a.value for a in AssistanceArea if a.value in chosen]
    await answer(query)
    await edit_buttons(query, keys.areas(draft.areas, draft.language))
    return Step.AREAS


async def _take_summary(update: Update, context: Context, draft: Draft, action: str) -> object:
    query = update.callback_query
    assert query is not None
    if action == "edit":
        await answer(query)
        await edit_buttons(query, None)
        return await ask(update, context, Step.AREAS, draft)
    if action == "cancel":
        drop(update, context)
        await answer(query)
        await edit(query, say("cancelled", draft.language))
        return ConversationHandler.END
    return await _send(update, context, draft)


async def _send(update: Update, context: Context, draft: Draft) -> object:
    query, chat = update.callback_query, update.effective_chat
    assert query is not None and chat is not None
    found = services(context)
    try:
        request_id = await asyncio.to_thread(store.file_request, found.engine, draft, chat.id,
                                             found.clock())
    except Exception:
        log.exception("telegram /assist of PoC %s: not recorded", draft.poc_id)
        await answer(query, say("failed", draft.language))
        return Step.SUMMARY
    drop(update, context)
    await answer(query)
    if request_id is None:  # no longer this chat's PoC of a State: nothing written
        log.info("telegram /assist of PoC %s refused at Send", draft.poc_id)
        await edit(query, say("failed", draft.language))
        return ConversationHandler.END
    log.info("telegram /assist of PoC %s: request %s filed, awaiting staff", draft.poc_id,
             request_id)
    await edit(query, say("sent", draft.language, party=draft.party))
    return ConversationHandler.END
