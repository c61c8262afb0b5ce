"""A message sent with a file in Telegram: sendDocument, the message as its caption (HTML
parse mode) and the answer buttons under it. Telegram takes a caption of at most
CAPTION_LIMIT characters once its HTML is parsed: the templates that go this way are kept
shorter (a spec checks them in the six languages); a longer one is refused by Telegram with
400, a permanent failure a person reads in `outreach deliveries`.
"""

from telegram import Bot, InlineKeyboardMarkup, InputFile, Message
from telegram.constants import ParseMode

from bot.channels.contract import Attachment

CAPTION_LIMIT = 1024


async def send_document(bot: Bot, chat_id: int, caption: str, document: Attachment,
                        keyboard: InlineKeyboardMarkup | None, read_timeout: float) -> Message:
    """One sendDocument (multipart); raises as Bot.send_message does."""
    return await bot.send_document(
        chat_id=chat_id, document=InputFile(document.data, filename=document.filename),
        caption=caption, parse_mode=ParseMode.HTML, reply_markup=keyboard,
        read_timeout=read_timeout, write_timeout=max(read_timeout, 20.0))
