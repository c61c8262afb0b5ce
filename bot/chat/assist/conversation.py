"""A State's Point of Contact files an assistance request by answering the bot's questions
(bot/chat/assist/conversation.mmd), as the Committee's assistance template asks:

    /assist -> areas (several, Done) -> for each area: weapon category -> details
            -> consent to publication -> summary [Send | Edit | Cancel]

Send records the request for the PoC's own State (bot.chat.assist.store): received today,
channel telegram, unconfirmed until the Committee's staff confirm it; the PoC is thanked and
/mystatus shows it. /cancel ends it at any step, nothing written; a conversation left without
an answer for the Services' `log_timeout` is dropped and the PoC told. Every word is the PoC's
language, from templates/assistance/en/telegram.html.j2.

Who. Only the PoC a chat is bound to, of a State; a PoC of an organisation is told requests
are filed by States. Anyone else (staff, strangers) is not answered here: the update goes on
to the handlers of group 0, where the staff's own /assist STATE (or the /help and refusal
catch-all) answers it. That is why this conversation lives in its own handler group, EARLY
(-1), tried before bot.chat.app's list: every answer it takes from a PoC raises
ApplicationHandlerStop, so group 0's catch-alls never answer the same words; what it does not
take (a staff member's /assist, a PoC's /mystatus mid-conversation) goes on to group 0.

One conversation per person and chat (per_user, per_chat; per_message=False: each state takes
only its own question's buttons, "pa:<question>:...", and an earlier question's button is
answered "already answered"). The draft and the step survive a restart
(bot.chat.persistence, DRAFTS_KEY with draft_codec, NAME with Step).
"""

import asyncio
import logging
import warnings
from collections.abc import Awaitable, Callable, Coroutine
from datetime import timedelta
from functools import partial, wraps
from typing import Any

from telegram import Update
from telegram.ext import (
    ApplicationHandlerStop,
    BaseHandler,
    CallbackQueryHandler,
    CommandHandler,
    ContextTypes,
    ConversationHandler,
    MessageHandler,
    TypeHandler,
    filters,
)
from telegram.warnings import PTBUserWarning

from bot.chat.access import poc_of, role_of_sender
from bot.chat.assist import store
from bot.chat.assist.answers import drop, on_press, on_stale, on_text, on_timeout
from bot.chat.assist.draft import DRAFTS_KEY, Draft, Step, draft_codec, drafts, key
from bot.chat.assist.keyboards import STALE_PATTERN, say
from bot.chat.assist.questions import ask, tell
from bot.chat.common import reply, services

__all__ = ["DRAFTS_KEY", "EARLY", "NAME", "Step", "draft_codec", "early_handlers",
           "on_poc_assist", "on_poc_cancel"]

log = logging.getLogger(__name__)

NAME = "poc_assist"  # the ConversationHandler's name: its states are stored under it
EARLY = -1  # the handler group: tried before bot.chat.app's list (group 0)

Context = ContextTypes.DEFAULT_TYPE
Callback = Callable[[Update, Context], Awaitable[object]]
Stopping = Callable[[Update, Context], Coroutine[Any, Any, object]]

# The callback data each state takes (bot.chat.assist.keyboards).
_BUTTONS = {
    Step.AREAS: r"^pa:area:(toggle:\w+|done)$",
    Step.WEAPON: r"^pa:weapon:\w+$",
    Step.DETAIL: r"^pa:detail:skip$",
    Step.CONSENT: r"^pa:consent:(yes|no)$",
    Step.SUMMARY: r"^pa:sum:(send|edit|cancel)$",
}


def _stopping(callback: Callback) -> Stopping:
    """The callback's next state, and no other group answers the same update."""

    @wraps(callback)
    async def stopped(update: Update, context: Context) -> object:
        raise ApplicationHandlerStop(await callback(update, context))

    return stopped


async def on_poc_assist(update: Update, context: Context) -> object:
    """/assist: a State's PoC starts a request; staff and strangers go on to group 0."""
    found = key(update)
    if found is None or await role_of_sender(update, context) is not None:
        return ConversationHandler.END  # staff: their own /assist (group 0) answers
    poc = await poc_of(update, context)
    if poc is None:
        return ConversationHandler.END  # a stranger: group 0's refusal answers
    engine = services(context).engine
    party = await asyncio.to_thread(store.state_of, engine, poc.party_id, poc.language)
    if party is None:
        await reply(update, say("not_for_organisations", poc.language))
        raise ApplicationHandlerStop(ConversationHandler.END)
    draft = Draft(poc_id=poc.id, party_id=poc.party_id, language=poc.language, party=party,
                  last_seen=services(context).clock())
    drafts(context)[found] = draft
    log.info("telegram /assist started by PoC %s", poc.id)
    raise ApplicationHandlerStop(await ask(update, context, Step.AREAS, draft))


async def on_poc_cancel(update: Update, context: Context) -> object:
    """/cancel at any step: nothing is written."""
    draft = drop(update, context)
    if draft is not None:
        await tell(update, context, say("cancelled", draft.language))
    return ConversationHandler.END


def poc_assist_conversation(timeout: timedelta, persistent: bool = False
                            ) -> ConversationHandler[Any]:
    """The guided /assist as one ConversationHandler (states: Step; `persistent`: kept by the
    application's persistence under NAME); `timeout`: the Services' log_timeout."""
    typed = filters.UpdateType.MESSAGE & ~filters.COMMAND
    states: dict[object, list[Any]] = {
        step: [CallbackQueryHandler(_stopping(partial(on_press, step)),
                                    pattern=_BUTTONS[step]),
               MessageHandler(typed, _stopping(partial(on_text, step)))]
        for step in Step}
    states[ConversationHandler.TIMEOUT] = [TypeHandler(Update, on_timeout)]
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message=r"If 'per_message=False'",
                                category=PTBUserWarning)
        return ConversationHandler(
            entry_points=[CommandHandler("assist", on_poc_assist)],
            states=states,
            fallbacks=[CommandHandler("cancel", _stopping(on_poc_cancel)),
                       CallbackQueryHandler(_stopping(on_stale), pattern=STALE_PATTERN)],
            allow_reentry=True,
            per_chat=True,
            per_user=True,
            per_message=False,
            conversation_timeout=timeout,
            name=NAME,
            persistent=persistent,
        )


def early_handlers(timeout: timedelta, persistent: bool) -> list[BaseHandler[Any, Any, Any]]:
    """The handlers of group EARLY, in order: the conversation, then its buttons once it is
    over ("already answered")."""
    return [poc_assist_conversation(timeout, persistent),
            CallbackQueryHandler(on_stale, pattern=STALE_PATTERN)]
