"""What staff see of a Chair's message before approving it: /chair preview ID, and the
writer after Done.

Per language: a header, the Telegram message exactly as a PoC receives it (sent as the
dispatcher sends it, bot.channels.telegram: a text Telegram refuses is said to be refused,
for PoCs would never get it), and the e-mail as two files, HTML and text. Then the state,
the send time and the recipients table (bot.chat.chair.calls.preview_of), with the buttons
of what may be done next:

    Approve  chair:approve:<id>:<revision>   approving a text that changed since is refused
    Send time  chair:when:<id>              Cancel  chair:cancel:<id>

(bot.chat.chair.commands takes the presses.) Logs name message ids only.
"""

import asyncio
import logging

from sqlalchemy import Engine
from telegram import Bot, InlineKeyboardButton, InlineKeyboardMarkup, LinkPreviewOptions
from telegram.constants import ParseMode
from telegram.error import TelegramError

from bot.chat.chair import calls
from bot.chat.chair.calls import say
from storage.chair import ChairState

__all__ = ["send_preview"]

log = logging.getLogger(__name__)


def _buttons(message_id: int, revision: int, state: str) -> InlineKeyboardMarkup:
    row = []
    if state == ChairState.DRAFT:
        row.append(InlineKeyboardButton(say("approve_button"),
                                        callback_data=f"chair:approve:{message_id}:{revision}"))
    if state in (ChairState.DRAFT, ChairState.APPROVED):
        row.append(InlineKeyboardButton(say("send_time_button"),
                                        callback_data=f"chair:when:{message_id}"))
    if state not in (ChairState.SENT, ChairState.CANCELLED):
        row.append(InlineKeyboardButton(say("cancel_button"),
                                        callback_data=f"chair:cancel:{message_id}"))
    return InlineKeyboardMarkup([row])


async def send_preview(bot: Bot, chat_id: int, engine: Engine, message_id: int) -> None:
    """Per language: a header, the PoC's Telegram message as is, the e-mail as .html and
    .txt; then the recipients table with the buttons. Raises MessageNotFound, and what
    Telegram raises for our own messages (the caller says the preview was not sent)."""
    parts = await asyncio.to_thread(calls.preview_of, engine, message_id)
    for language, subject, telegram, email_html, email_text in parts.languages:
        await bot.send_message(chat_id, say("preview_header", message_id=message_id,
                                            revision=parts.revision, language=language,
                                            subject=subject), parse_mode=ParseMode.HTML)
        try:  # exactly as the dispatcher sends it (bot.channels.telegram)
            await bot.send_message(chat_id, telegram, parse_mode=ParseMode.HTML,
                                   link_preview_options=LinkPreviewOptions(is_disabled=True))
        except TelegramError as error:  # too long, or markup Telegram refuses: PoCs would fail
            log.warning("telegram /chair preview %s (%s): refused (%s)", message_id, language,
                        type(error).__name__)
            await bot.send_message(chat_id, say("telegram_refused", language=language,
                                                reason=error.message),
                                   parse_mode=ParseMode.HTML)
        for kind, content in (("html", email_html), ("txt", email_text)):
            await bot.send_document(chat_id, content.encode("utf-8"),
                                    filename=f"chair-{message_id}-{language}.{kind}",
                                    caption=say("email_caption", language=language, kind=kind),
                                    parse_mode=ParseMode.HTML)
    await bot.send_message(chat_id, parts.summary, parse_mode=ParseMode.HTML,
                           reply_markup=_buttons(message_id, parts.revision, parts.state))
