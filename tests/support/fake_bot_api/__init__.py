"""A local stand-in for the Telegram Bot API, for specs and benchmarks.

It speaks enough of the Bot API for python-telegram-bot's real HTTP stack (HTTPXRequest):
POST (or GET) /bot<token>/<method> with JSON, url-encoded or multipart parameters. It runs a
tornado server on 127.0.0.1 (a free port) in a thread of its own with its own event loop:

    with FakeBotApi(enforce_limits=True) as api:
        sender = TelegramSender(FakeBotApi.TOKEN, api.base_url)
        ...
        api.messages  # what arrived, in order

Telegram's answers can be injected: flood control (429 with retry_after), a blocked bot (403),
a chat that does not exist (400), a group upgraded to a supergroup (400 with
migrate_to_chat_id), a slow answer (the message is recorded, the response comes late). Every
control is thread-safe.

A person can press an inline button (`press_button`) or type a command (`send_text`): the
callback query or the message is queued as an update for getUpdates (offsets confirm updates
as Telegram does; a long poll waits at most `poll_cap` seconds so specs stay fast; or
`take_update` hands it to a spec that feeds Application.process_update), and
answerCallbackQuery / editMessageReplyMarkup / editMessageText are recorded
(`callback_answers`, `edited_markups`, `edited_texts`), and so is setMyCommands with its
scope (`my_commands`; `refuse_set_my_commands` makes the server answer 400 instead).

Webhook mode: setWebhook is recorded (`webhooks`: the URL, the secret and the update kinds);
while a webhook is set, getUpdates answers 409 Conflict as Telegram does, until deleteWebhook.
The fake does not post to the webhook itself: a spec posts the update that `send_text` or
`press_button` returns. `refuse(method)` makes any method fail (404 "method not found" by
default), as a Bot API server that does not implement it would.

sendPhoto and sendDocument record the uploaded file (multipart) with its caption
(`uploads`, `uploads_to`).
"""

from tests.support.fake_bot_api.records import (
    NOT_MODIFIED,
    AnsweredCallback,
    EditedMarkup,
    EditedText,
    JSONDict,
    ReceivedMessage,
    ReceivedUpload,
    SetCommands,
    SetWebhook,
)
from tests.support.fake_bot_api.server import FakeBotApi

__all__ = ["NOT_MODIFIED", "AnsweredCallback", "EditedMarkup", "EditedText", "FakeBotApi",
           "JSONDict", "ReceivedMessage", "ReceivedUpload", "SetCommands", "SetWebhook"]
