"""The draft of a guided /log: where it is kept, how each answer reads it, and when it has
waited too long.

One draft (bot.chat.log.steps.Guided) per person and chat, in application.bot_data under
GUIDED_KEY by (chat id, user id), read through the handler's context at call time (PTB
replaces bot_data at initialize). It survives a restart with the conversation's step
(bot.chat.persistence, guided_codec). A conversation left without an answer for the
Services' `log_timeout` is ended by PTB's JobQueue (on_timeout); a restart loses that job,
so every answer reads the draft through `current`, which drops a restored draft past its
timeout (its `last_seen`) with the same words, and says so when a restored step finds no
draft at all.
"""

import logging
from datetime import datetime, timedelta
from typing import Any

from telegram import Update
from telegram.ext import ContextTypes, ConversationHandler

from bot.chat.access import remember_language
from bot.chat.common import services
from bot.chat.log.keyboards import say
from bot.chat.log.questions import tell
from bot.chat.log.steps import Guided
from bot.chat.persistence import Codec

__all__ = ["CONVERSATION_TIMEOUT", "GUIDED_KEY", "Key", "current", "drop", "guided",
           "guided_codec", "keep", "key", "on_timeout", "stay_or_end"]

log = logging.getLogger(__name__)

CONVERSATION_TIMEOUT = timedelta(minutes=10)  # the default of the Services' log_timeout
GUIDED_KEY = "guided_log_drafts"  # the key of application.bot_data holding the drafts

Context = ContextTypes.DEFAULT_TYPE
Key = tuple[int, int]  # (chat id, user id): the conversation's key


def key(update: Update) -> Key | None:
    chat, user = update.effective_chat, update.effective_user
    return None if chat is None or user is None else (chat.id, user.id)


def _drafts(context: Context) -> dict[Key, Guided]:
    drafts: dict[Key, Guided] = context.bot_data.setdefault(GUIDED_KEY, {})
    return drafts


def guided(update: Update, context: Context) -> Guided | None:
    found = key(update)
    return None if found is None else _drafts(context).get(found)


def keep(context: Context, found: Key, draft: Guided) -> None:
    """The person's new draft (a way in), in place of any other."""
    _drafts(context)[found] = draft


def drop(update: Update, context: Context) -> Guided | None:
    found = key(update)
    return None if found is None else _drafts(context).pop(found, None)


def stay_or_end(update: Update, context: Context) -> object:
    """After a refused way in: a conversation under way goes on, else there is none."""
    return None if guided(update, context) is not None else ConversationHandler.END


async def current(update: Update, context: Context) -> Guided | None:
    """The person's draft, marked as seen now; None (and the person told) if it expired,
    or if a restored step has no draft (one kept no longer, e.g. down past its timeout)."""
    draft = guided(update, context)
    if draft is None:
        await tell(update, context, say("draft_gone"))
        return None
    found = services(context)
    now = found.clock()
    # Left unanswered too long: PTB's timeout job would have dropped it, had a restart not
    # lost the job.
    if draft.last_seen is not None and now - draft.last_seen >= found.log_timeout:
        await on_timeout(update, context)
        return None
    draft.last_seen = now
    return draft


async def on_timeout(update: Update, context: Context) -> None:
    """The conversation waited `log_timeout` for an answer: the draft goes, the person is
    told (ConversationHandler.TIMEOUT, or `current` after a restart), in their language
    (PTB's timeout job runs outside the update that set it)."""
    await remember_language(update, context)
    draft = drop(update, context)
    if draft is None:  # a refused way in also starts PTB's timer: nothing to drop
        return
    found = key(update)
    log.info("telegram /log conversation of user %s timed out",
             None if found is None else found[1])
    minutes = round(services(context).log_timeout.total_seconds() / 60) or 1
    await tell(update, context, say("timed_out", title=draft.row.get("title", ""),
                                    minutes=minutes))


def guided_codec(timeout: timedelta = CONVERSATION_TIMEOUT) -> Codec:
    """The drafts as JSON by "chat,user"; a draft unanswered for `timeout` is not written
    (one read back is still kept: its next answer says it timed out)."""

    def encode(drafts: dict[Key, Guided], now: datetime) -> dict[str, Any] | None:
        kept = {f"{chat},{user}": draft.to_dict() for (chat, user), draft in drafts.items()
                if draft.last_seen is None or now - draft.last_seen < timeout}
        return kept or None

    def decode(stored: dict[str, Any], now: datetime) -> dict[Key, Guided]:
        drafts: dict[Key, Guided] = {}
        for name, value in stored.items():
            chat, user = name.split(",")
            drafts[(int(chat), int(user))] = Guided.from_dict(value)
        return drafts

    return Codec(encode=encode, decode=decode)
