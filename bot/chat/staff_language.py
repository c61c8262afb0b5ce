"""/language for everyone: a PoC's chat goes to bot.chat.poc (the PoC's record); a staff
member sets the language the bot speaks to them in.

    /language CODE    one of the six UN languages: the member's record (audited), their
                      command menu, and every answer from now on
    /language         the usage, with the codes, in the member's language

The staff chat is translated into the Secretariat's working languages, English and French
(templates/locale/<language>/LC_MESSAGES/chat.po); the other four are accepted and show
English wherever the catalogue has no word yet. Anyone else gets the staff's refusal.
"""

import asyncio
import logging
from datetime import datetime

from sqlalchemy import Engine
from sqlmodel import Session
from telegram import Update
from telegram.ext import ContextTypes

from bot.chat import poc as poc_chat
from bot.chat.access import actor, poc_of, sender_id, staff_role
from bot.chat.common import reader_language, reading_in, reply, say, services
from bot.chat.staff import set_menu
from storage.parties import UN_LANGUAGES
from storage.staff import set_language

__all__ = ["on_language"]

log = logging.getLogger(__name__)

Context = ContextTypes.DEFAULT_TYPE


def _set_language(engine: Engine, user_id: int, language: str, by: str,
                  now: datetime) -> None:
    with Session(engine) as session:
        set_language(session=session, telegram_user_id=user_id, language=language, actor=by,
                     now=now)
        session.commit()


async def on_language(update: Update, context: Context) -> None:
    if await poc_of(update, context) is not None:
        await poc_chat.on_language(update, context)
        return
    role = await staff_role(update, context)
    user_id = sender_id(update)
    if role is None or user_id is None:
        return
    args = [arg.lower() for arg in context.args or []]
    if len(args) != 1 or args[0] not in UN_LANGUAGES:
        await reply(update, say("staff", "language_usage", typed=" ".join(args),
                                current=reader_language(), codes=UN_LANGUAGES))
        return
    found = services(context)
    await asyncio.to_thread(_set_language, found.engine, user_id, args[0], actor(update),
                            found.clock())
    log.info("telegram staff language changed for user %s", user_id)
    reading_in(args[0])
    await set_menu(context.bot, user_id, role, args[0])
    await reply(update, say("staff", "language_changed", language=args[0]))
