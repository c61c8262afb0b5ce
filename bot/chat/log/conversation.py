"""The guided /log: an outreach event logged question by question (bot/chat/log/conversation.mmd).

    /log  ->  title -> start date -> end date -> mode -> place -> type -> audiences
          ->  organisations' involvement -> organisers -> summary [Save | Edit | Cancel]

Dates are picked on a month grid or typed as YYYY-MM-DD; choices are buttons; the place
and the organisers are typed and resolved against the registry (storage.imports.common.
PartyFinder: "Cote d'Ivoire", "Turkey", "DPRK", ISO3 codes). Edit offers every field,
also the optional ones (participants, Committee role, source link, notes); the answer
returns to the summary. Save checks the row with the importer (bot.chat.log.rows): problems are
shown with the summary again and nothing is lost. /cancel ends it at any step; a
conversation left without an answer for the Services' `log_timeout` is dropped and the
person is told.

Two more ways in: the Edit button of the one-line /log (callback "log:edit:<token>", the
draft of bot.chat.log.one_liner) and "event:edit:<event id>" (a stored event: Save amends it).
Staff and admins only: the others get bot.chat.access's refusal.

One conversation per person and chat (per_user, per_chat). Buttons are not tracked per
message (per_message=False): every state accepts only its own question's callback data
(bot.chat.log.keyboards), and a button of an earlier question is answered "already answered".
This module holds the ways in and out and assembles the ConversationHandler; the questions
are bot.chat.log.questions, the answers bot.chat.log.answers, the draft and its timeout
bot.chat.log.guided, the typed answers' checks bot.chat.log.steps, the keyboards
bot.chat.log.keyboards, the storage calls bot.chat.log.rows. The draft and the
conversation's step survive a restart (bot.chat.persistence, GUIDED_KEY and guided_codec).
Every word comes from templates/chat/en/log_conversation.html.j2.
"""

import asyncio
import logging
import warnings
from datetime import timedelta
from functools import partial
from typing import Any

from sqlalchemy import Engine
from telegram import Update
from telegram.ext import (
    CallbackQueryHandler,
    CommandHandler,
    ContextTypes,
    ConversationHandler,
    MessageHandler,
    TypeHandler,
    filters,
)
from telegram.warnings import PTBUserWarning

from bot.chat.access import staff_role
from bot.chat.common import answer, edit, edit_buttons, services
from bot.chat.log import rows
from bot.chat.log.answers import on_press, on_stale, on_text
from bot.chat.log.guided import (
    CONVERSATION_TIMEOUT,
    GUIDED_KEY,
    drop,
    guided_codec,
    keep,
    key,
    on_timeout,
    stay_or_end,
)
from bot.chat.log.keyboards import say
from bot.chat.log.one_liner import drafts_of
from bot.chat.log.questions import ask, show_summary, tell
from bot.chat.log.steps import Guided, Step

__all__ = ["CONVERSATION_TIMEOUT", "GUIDED_KEY", "NAME", "STALE_PATTERN", "Step",
           "guided_codec", "log_conversation", "on_cancel", "on_edit_event",
           "on_edit_one_liner", "on_new"]

log = logging.getLogger(__name__)

NAME = "guided_log"  # the ConversationHandler's name: its states are stored under it
STALE_PATTERN = r"^lc:"  # every button of the conversation (bot.chat.log.keyboards)

Context = ContextTypes.DEFAULT_TYPE

# The callback data each state takes (bot.chat.log.keyboards); text-only questions take none.
_BUTTONS = {
    Step.START_DATE: r"^lc:start:(day:\d{4}-\d{2}-\d{2}|month:\d{4}-\d{2})$",
    Step.END_DATE: r"^lc:end:(day:\d{4}-\d{2}-\d{2}|month:\d{4}-\d{2}|same)$",
    Step.MODE: r"^lc:mode:\w+$",
    Step.PLACE: r"^lc:skip:place$",
    Step.TYPE: r"^lc:type:\w+$",
    Step.AUDIENCES: r"^lc:aud:(toggle:\w+|done)$",
    Step.INVOLVEMENT: r"^lc:iro:\w+$",
    Step.ORGANISERS: r"^lc:skip:organisers$",
    Step.PARTICIPANTS: r"^lc:skip:participants$",
    Step.COMMITTEE_ROLE: r"^lc:role:\w+$",
    Step.LEAD_BODY: r"^lc:lead:\w+$",
    Step.SOURCE_URL: r"^lc:skip:source_url$",
    Step.NOTES: r"^lc:skip:notes$",
    Step.SUMMARY: r"^lc:sum:(save|edit|cancel)$",
    Step.EDIT_MENU: r"^lc:field:\w+$",
}


# -- ways in ----------------------------------------------------------------------------------


async def on_new(update: Update, context: Context) -> object:
    """/log alone: a new draft, and its first question."""
    found = key(update)
    if await staff_role(update, context) is None or found is None:
        return stay_or_end(update, context)
    guided = Guided(last_seen=services(context).clock())
    keep(context, found, guided)
    log.info("telegram /log conversation started by user %s", found[1])
    return await ask(update, context, Step.TITLE, guided)


async def on_edit_one_liner(update: Update, context: Context) -> object:
    """The Edit button of a one-line /log: its draft, shown as the summary."""
    query, found = update.callback_query, key(update)
    if query is None or found is None or not isinstance(query.data, str):
        return stay_or_end(update, context)
    token = query.data.rsplit(":", 1)[1]
    one_liners = drafts_of(context.bot_data)
    draft = one_liners.get(token)
    engine, now = services(context).engine, services(context).clock()
    if draft is None or draft.expires <= now:
        one_liners.pop(token, None)
        await answer(query)
        await edit(query, say("draft_expired"))
        return stay_or_end(update, context)
    if draft.user_id != found[1]:
        log.info("telegram /log edit refused for user %s (not the author)", found[1])
        await answer(query, say("not_your_draft"))
        return stay_or_end(update, context)
    await answer(query)
    if await staff_role(update, context) is None:
        return stay_or_end(update, context)
    del one_liners[token]
    await edit_buttons(query, None)
    guided = Guided(row=dict(draft.row), last_seen=now)
    await _resolve_country(engine, guided)
    keep(context, found, guided)
    return await show_summary(update, context, guided)


async def on_edit_event(update: Update, context: Context) -> object:
    """The Edit button of /events: the stored event, shown as the summary; Save amends it."""
    query, found = update.callback_query, key(update)
    if query is None or found is None or not isinstance(query.data, str):
        return stay_or_end(update, context)
    await answer(query)
    if await staff_role(update, context) is None:
        return stay_or_end(update, context)
    event_id = int(query.data.rsplit(":", 1)[1])
    loaded = await asyncio.to_thread(rows.load_event, services(context).engine, event_id)
    if loaded is None:
        await tell(update, context, say("event_gone", event_id=event_id))
        return stay_or_end(update, context)
    row, country = loaded
    guided = Guided(row=row, event_id=event_id, country=country,
                    last_seen=services(context).clock())
    keep(context, found, guided)
    log.info("telegram /log conversation: user %s edits event %s", found[1], event_id)
    return await show_summary(update, context, guided)


async def _resolve_country(engine: Engine, guided: Guided) -> None:
    """The one-liner's country as its ISO3 code, and its name for the summary."""
    typed = guided.row.get("country", "")
    if typed:
        found = await asyncio.to_thread(rows.state, engine, typed)
        if isinstance(found, rows.Country):
            guided.row["country"], guided.country = found.code, found.name


# -- ways out -----------------------------------------------------------------------------


async def on_cancel(update: Update, context: Context) -> object:
    """/cancel at any step: nothing is saved."""
    guided = drop(update, context)
    title = "" if guided is None else guided.row.get("title", "")
    await tell(update, context, say("cancelled", title=title))
    return ConversationHandler.END


# -- the conversation -----------------------------------------------------------------------


def log_conversation(timeout: timedelta = CONVERSATION_TIMEOUT, persistent: bool = False
                     ) -> ConversationHandler[Any]:
    """The guided /log as one ConversationHandler (its states: Step; `persistent`: kept by
    the application's persistence under NAME). `timeout` is PTB's conversation_timeout:
    give it the Services' log_timeout, which the handlers read."""
    typed = filters.UpdateType.MESSAGE & ~filters.COMMAND
    states: dict[object, list[Any]] = {}
    for step in Step:
        handlers: list[Any] = []
        if step in _BUTTONS:
            handlers.append(CallbackQueryHandler(partial(on_press, step),
                                                 pattern=_BUTTONS[step]))
        handlers.append(MessageHandler(typed, partial(on_text, step)))
        states[step] = handlers
    states[ConversationHandler.TIMEOUT] = [TypeHandler(Update, on_timeout)]
    with warnings.catch_warnings():
        # per_message=False on purpose: the typed answers need a conversation per person
        # and chat, and each state accepts only its own question's buttons (see above).
        warnings.filterwarnings("ignore", message=r"If 'per_message=False'",
                                category=PTBUserWarning)
        return ConversationHandler(
            entry_points=[
                CommandHandler("log", on_new, has_args=False),
                CallbackQueryHandler(on_edit_one_liner,
                                     pattern=r"^log:edit:[A-Za-z0-9_-]{1,16}$"),
                CallbackQueryHandler(on_edit_event, pattern=r"^event:edit:\d{1,18}$"),
            ],
            states=states,
            fallbacks=[CommandHandler("cancel", on_cancel),
                       CallbackQueryHandler(on_stale, pattern=STALE_PATTERN)],
            allow_reentry=True,
            per_chat=True,
            per_user=True,
            per_message=False,
            conversation_timeout=timeout,
            name=NAME,
            persistent=persistent,
        )
