"""What the fake Bot API records and the values it passes around (tests.support.fake_bot_api)."""

from dataclasses import dataclass
from typing import Any

JSONDict = dict[str, Any]

# Parameters Telegram documents as JSON-serialised objects: decoded when sent as form fields.
JSON_FIELDS = frozenset(
    {
        "reply_markup",
        "link_preview_options",
        "entities",
        "reply_parameters",
        "commands",
        "scope",
        "allowed_updates",
    }
)


NOT_MODIFIED = (
    "Bad Request: message is not modified: specified new message content and reply markup "
    "are exactly the same as a current content and reply markup of the message"
)


@dataclass(frozen=True)
class ReceivedMessage:
    """One sendMessage the fake accepted (answered 200)."""

    message_id: int
    chat_id: int
    text: str
    parse_mode: str | None
    reply_markup: JSONDict | None
    link_preview_options: JSONDict | None
    timestamp: float  # time.monotonic() when the request arrived


@dataclass(frozen=True)
class ReceivedUpload:
    """One sendPhoto or sendDocument the fake accepted, with the file as uploaded."""

    message_id: int
    method: str  # "sendPhoto" or "sendDocument"
    chat_id: int
    filename: str
    content_type: str
    content: bytes
    caption: str | None
    parse_mode: str | None
    reply_markup: JSONDict | None


@dataclass(frozen=True)
class AnsweredCallback:
    """One answerCallbackQuery, with the press it answered."""

    callback_query_id: str
    chat_id: int  # where the button was pressed
    data: str  # the pressed button's callback data
    text: str | None
    show_alert: bool


@dataclass(frozen=True)
class EditedMarkup:
    """One editMessageReplyMarkup the fake accepted; reply_markup None removes the keyboard."""

    chat_id: int
    message_id: int
    reply_markup: JSONDict | None


@dataclass(frozen=True)
class EditedText:
    """One editMessageText the fake accepted."""

    chat_id: int
    message_id: int
    text: str
    parse_mode: str | None
    reply_markup: JSONDict | None


@dataclass(frozen=True)
class SetCommands:
    """One setMyCommands the fake accepted: the commands and the scope (None: default)."""

    commands: list[JSONDict]
    scope: JSONDict | None


@dataclass(frozen=True)
class SetWebhook:
    """One setWebhook the fake accepted."""

    url: str
    secret_token: str | None
    allowed_updates: list[str] | None
    drop_pending_updates: bool


@dataclass(frozen=True)
class Press:
    chat_id: int
    data: str


@dataclass(frozen=True)
class LongPoll:
    """A getUpdates call, answered by the server's loop once updates come or time is up."""

    offset: int | None
    limit: int
    timeout: float


class ApiError(Exception):
    def __init__(self, status: int, description: str, parameters: JSONDict | None = None) -> None:
        super().__init__(description)
        self.status = status
        self.description = description
        self.parameters = parameters


def type_of_chat(chat_id: int) -> str:
    return "private" if chat_id > 0 else "supergroup" if chat_id < -(10**12) else "group"
