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

import asyncio
import contextlib
import json
import math
import threading
import time
from collections import deque
from dataclasses import dataclass
from typing import Any

import tornado.httpserver
import tornado.httputil
import tornado.iostream
import tornado.netutil
import tornado.web

JSONDict = dict[str, Any]

# Parameters Telegram documents as JSON-serialised objects: decoded when sent as form fields.
_JSON_FIELDS = frozenset(
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
class _Press:
    chat_id: int
    data: str


@dataclass(frozen=True)
class _LongPoll:
    """A getUpdates call, answered by the server's loop once updates come or time is up."""

    offset: int | None
    limit: int
    timeout: float


class _ApiError(Exception):
    def __init__(self, status: int, description: str, parameters: JSONDict | None = None) -> None:
        super().__init__(description)
        self.status = status
        self.description = description
        self.parameters = parameters


class FakeBotApi:
    TOKEN = "123456:TEST-fake-bot-api-token"
    BOT_ID = 123456

    def __init__(
        self,
        *,
        tokens: tuple[str, ...] = (TOKEN,),
        enforce_limits: bool = False,
        messages_per_second: int = 30,
        per_chat_per_second: int = 1,
        poll_cap: float = 1.0,
    ) -> None:
        self.tokens = frozenset(tokens)
        self.enforce_limits = enforce_limits
        self.messages_per_second = messages_per_second
        self.per_chat_per_second = per_chat_per_second
        self.poll_cap = poll_cap  # a getUpdates long poll waits at most this long
        self._lock = threading.Lock()
        self._messages: list[ReceivedMessage] = []
        self._calls: list[str] = []
        self._recent: deque[float] = deque()  # accepted sendMessage times, last second
        self._recent_by_chat: dict[int, deque[float]] = {}
        self._too_many_requests = 0
        self._injected_retry_after: deque[int] = deque()
        self._delays: deque[float] = deque()
        self._blocked: set[int] = set()
        self._deactivated: set[int] = set()
        self._missing: set[int] = set()
        self._migrated: dict[int, int] = {}
        self._next_message_id = 1
        self._updates: list[JSONDict] = []  # queued, not yet confirmed by an offset
        self._next_update_id = 1
        self._presses: dict[str, _Press] = {}  # callback query id -> the press
        self._callback_answers: list[AnsweredCallback] = []
        self._edited_markups: list[EditedMarkup] = []
        self._refused_edits: deque[str] = deque()
        self._edited_texts: list[EditedText] = []
        self._my_commands: list[SetCommands] = []
        self._refuse_set_my_commands = False
        self._refused_methods: dict[str, _ApiError] = {}
        self._webhooks: list[SetWebhook] = []
        self._webhook_url = ""
        self._uploads: list[ReceivedUpload] = []
        self._thread: threading.Thread | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self._stop: asyncio.Event | None = None
        self._port: int | None = None

    # -- lifecycle -----------------------------------------------------------------------

    @property
    def port(self) -> int:
        if self._port is None:
            raise RuntimeError("the fake Bot API is not running")
        return self._port

    @property
    def base_url(self) -> str:
        """What python-telegram-bot takes as base_url (the token is appended)."""
        return f"http://127.0.0.1:{self.port}/bot"

    def start(self) -> "FakeBotApi":
        if self._thread is not None:
            raise RuntimeError("already started")
        sockets = tornado.netutil.bind_sockets(0, "127.0.0.1")
        self._port = sockets[0].getsockname()[1]
        ready = threading.Event()

        async def serve() -> None:
            self._loop = asyncio.get_running_loop()
            self._stop = asyncio.Event()
            application = tornado.web.Application(
                [(r"/bot([^/]*)/([A-Za-z0-9_]+)", _MethodHandler, {"api": self})],
                log_function=lambda handler: None,  # no access log
            )
            server = tornado.httpserver.HTTPServer(application)
            server.add_sockets(sockets)
            ready.set()
            await self._stop.wait()
            server.stop()
            await server.close_all_connections()

        self._thread = threading.Thread(
            target=asyncio.run, args=(serve(),), name="fake-bot-api", daemon=True
        )
        self._thread.start()
        if not ready.wait(timeout=10):
            raise RuntimeError("the fake Bot API did not start")
        return self

    def stop(self) -> None:
        if self._thread is None:
            return
        if self._loop is not None and self._stop is not None:
            self._loop.call_soon_threadsafe(self._stop.set)
        self._thread.join(timeout=10)
        self._thread = None
        self._loop = None
        self._stop = None

    def __enter__(self) -> "FakeBotApi":
        return self.start()

    def __exit__(self, *exc_info: object) -> None:
        self.stop()

    # -- controls ------------------------------------------------------------------------

    def inject_retry_after(self, seconds: int, times: int = 1) -> None:
        """The next `times` sendMessage calls get 429 Too Many Requests, retry after `seconds`."""
        with self._lock:
            self._injected_retry_after.extend([seconds] * times)

    def delay_next_send(self, seconds: float) -> None:
        """The next sendMessage is delivered (recorded) but answered only after `seconds`."""
        with self._lock:
            self._delays.append(seconds)

    def block_chat(self, chat_id: int) -> None:
        """403 Forbidden: bot was blocked by the user."""
        with self._lock:
            self._blocked.add(chat_id)

    def deactivate_user(self, chat_id: int) -> None:
        """403 Forbidden: user is deactivated."""
        with self._lock:
            self._deactivated.add(chat_id)

    def forget_chat(self, chat_id: int) -> None:
        """400 Bad Request: chat not found."""
        with self._lock:
            self._missing.add(chat_id)

    def migrate_chat(self, chat_id: int, new_chat_id: int) -> None:
        """The group was upgraded to a supergroup: 400 with migrate_to_chat_id."""
        with self._lock:
            self._migrated[chat_id] = new_chat_id

    def press_button(self, chat_id: int, from_user_id: int, message_id: int, data: str
                     ) -> JSONDict:
        """A person presses an inline button of message `message_id` in chat `chat_id`.

        The callback query is queued for getUpdates, as Telegram would deliver it, and
        returned (the update a webhook would receive).
        """
        with self._lock:
            update_id = self._next_update_id
            self._next_update_id += 1
            query_id = f"cbq-{update_id}"
            self._presses[query_id] = _Press(chat_id=chat_id, data=data)
            sent = [m for m in self._messages if m.message_id == message_id]
            chat: JSONDict = {"id": chat_id, "type": _chat_type(chat_id)}
            if chat["type"] != "private":
                chat["title"] = "Group"
            update: JSONDict = {
                "update_id": update_id,
                "callback_query": {
                    "id": query_id,
                    "from": {
                        "id": from_user_id,
                        "is_bot": False,
                        "first_name": "Test",
                        "language_code": "en",
                    },
                    "message": {
                        "message_id": message_id,
                        "date": int(time.time()),
                        "chat": chat,
                        "from": self._bot_user(),
                        "text": sent[0].text if sent else "Reminder",
                    },
                    "chat_instance": f"ci-{chat_id}",
                    "data": data,
                },
            }
            self._updates.append(update)
            return update

    def send_text(self, chat_id: int, user_id: int, text: str,
                  entities: list[JSONDict] | None = None, language: str = "en") -> JSONDict:
        """A person (`user_id`) writes `text` in chat `chat_id`; a leading /command is marked
        as a bot_command entity, as Telegram does; `entities` is the formatting they applied
        (bold, italic, text_link..., offsets in UTF-16 code units); `language` their Telegram
        app's (language_code). Queued for getUpdates, and returned (the update a webhook
        would receive)."""
        with self._lock:
            update_id = self._next_update_id
            self._next_update_id += 1
            chat: JSONDict = {"id": chat_id, "type": _chat_type(chat_id)}
            if chat["type"] != "private":
                chat["title"] = "Group"
            message: JSONDict = {
                "message_id": self._next_message_id,
                "date": int(time.time()),
                "chat": chat,
                "from": {"id": user_id, "is_bot": False, "first_name": "Test",
                         "language_code": language},
                "text": text,
            }
            self._next_message_id += 1
            if text.startswith("/"):
                length = len(text.split(maxsplit=1)[0].encode("utf-16-le")) // 2
                message["entities"] = [{"type": "bot_command", "offset": 0, "length": length}]
            if entities:
                message["entities"] = [*message.get("entities", []), *entities]
            update = {"update_id": update_id, "message": message}
            self._updates.append(update)
            return update

    def take_update(self) -> JSONDict:
        """Remove and return the oldest queued update: for specs that hand updates to
        Application.process_update themselves instead of long polling."""
        with self._lock:
            return self._updates.pop(0)

    def refuse_set_my_commands(self, refuse: bool = True) -> None:
        """setMyCommands gets 400 (a server that refuses) while `refuse` holds."""
        with self._lock:
            self._refuse_set_my_commands = refuse

    def refuse(self, method: str, status: int = 404,
               description: str = "Not Found: method not found") -> None:
        """Every call of `method` fails with `status` and `description` (until reset)."""
        with self._lock:
            self._refused_methods[method] = _ApiError(status, description)

    def refuse_next_edit(self, description: str = NOT_MODIFIED) -> None:
        """The next editMessageReplyMarkup gets 400 with `description` (and is not recorded)."""
        with self._lock:
            self._refused_edits.append(description)

    def reset(self) -> None:
        """Forget messages, calls, counters, updates and every injected behaviour."""
        with self._lock:
            self._messages.clear()
            self._calls.clear()
            self._recent.clear()
            self._recent_by_chat.clear()
            self._too_many_requests = 0
            self._injected_retry_after.clear()
            self._delays.clear()
            self._blocked.clear()
            self._deactivated.clear()
            self._missing.clear()
            self._migrated.clear()
            self._updates.clear()
            self._presses.clear()
            self._callback_answers.clear()
            self._edited_markups.clear()
            self._refused_edits.clear()
            self._edited_texts.clear()
            self._my_commands.clear()
            self._refuse_set_my_commands = False
            self._refused_methods.clear()
            self._webhooks.clear()
            self._webhook_url = ""
            self._uploads.clear()

    # -- observations --------------------------------------------------------------------

    @property
    def messages(self) -> list[ReceivedMessage]:
        with self._lock:
            return list(self._messages)

    def messages_to(self, chat_id: int) -> list[ReceivedMessage]:
        return [message for message in self.messages if message.chat_id == chat_id]

    @property
    def calls(self) -> list[str]:
        """Every method called with a valid token, in order (getMe, sendMessage, ...)."""
        with self._lock:
            return list(self._calls)

    @property
    def callback_answers(self) -> list[AnsweredCallback]:
        with self._lock:
            return list(self._callback_answers)

    @property
    def edited_markups(self) -> list[EditedMarkup]:
        with self._lock:
            return list(self._edited_markups)

    @property
    def edited_texts(self) -> list[EditedText]:
        with self._lock:
            return list(self._edited_texts)

    @property
    def my_commands(self) -> list[SetCommands]:
        with self._lock:
            return list(self._my_commands)

    @property
    def webhooks(self) -> list[SetWebhook]:
        with self._lock:
            return list(self._webhooks)

    @property
    def webhook_url(self) -> str:
        """The webhook set now ("" when none: getUpdates works)."""
        with self._lock:
            return self._webhook_url

    @property
    def uploads(self) -> list[ReceivedUpload]:
        with self._lock:
            return list(self._uploads)

    def uploads_to(self, chat_id: int) -> list[ReceivedUpload]:
        return [upload for upload in self.uploads if upload.chat_id == chat_id]

    @property
    def pending_updates(self) -> int:
        """Updates queued and not yet confirmed by a getUpdates offset."""
        with self._lock:
            return len(self._updates)

    @property
    def too_many_requests_sent(self) -> int:
        """How many 429 answers the fake gave (injected or for exceeding the limits)."""
        with self._lock:
            return self._too_many_requests

    # -- the API -------------------------------------------------------------------------

    def handle(self, token: str, method: str, params: JSONDict,
               files: dict[str, tornado.httputil.HTTPFile] | None = None
               ) -> tuple[Any, float]:
        """Answer one call: (the result, seconds to hold the answer). Raises _ApiError."""
        if token not in self.tokens:
            raise _ApiError(401, "Unauthorized")
        with self._lock:
            self._calls.append(method)
            refused = self._refused_methods.get(method)
        if refused is not None:
            raise refused
        if method == "getMe":
            return self._bot_user(), 0.0
        if method == "setMyCommands":
            return self._set_my_commands(params), 0.0
        if method == "editMessageText":
            return self._edit_message_text(params), 0.0
        if method == "setWebhook":
            return self._set_webhook(params), 0.0
        if method == "deleteWebhook":
            with self._lock:
                self._webhook_url = ""
            return True, 0.0
        if method == "deleteMyCommands":
            return True, 0.0
        if method == "getUpdates":
            return self._long_poll(params), 0.0
        if method == "answerCallbackQuery":
            return self._answer_callback_query(params), 0.0
        if method == "editMessageReplyMarkup":
            return self._edit_message_reply_markup(params), 0.0
        if method == "sendMessage":
            return self._send_message(params)
        if method in {"sendPhoto", "sendDocument"}:
            return self._send_upload(method, params, files or {}), 0.0
        raise _ApiError(404, "Not Found: method not found")

    def _long_poll(self, params: JSONDict) -> _LongPoll:
        try:
            offset = int(params["offset"]) if params.get("offset") is not None else None
            limit = int(params.get("limit") or 100)
            timeout = float(params.get("timeout") or 0)
        except (TypeError, ValueError):
            raise _ApiError(400, "Bad Request: wrong parameter in getUpdates") from None
        with self._lock:
            if self._webhook_url:
                raise _ApiError(409, "Conflict: can't use getUpdates method while webhook is "
                                     "active; use deleteWebhook to delete the webhook first")
            if offset is not None:  # confirms every update before it, as Telegram does
                self._updates = [u for u in self._updates if u["update_id"] >= offset]
        return _LongPoll(offset=offset, limit=max(1, min(limit, 100)), timeout=max(0.0, timeout))

    async def get_updates(self, poll: _LongPoll) -> list[JSONDict]:
        """Queued updates at once, else wait for one up to min(timeout, poll_cap) seconds."""
        deadline = time.monotonic() + min(poll.timeout, self.poll_cap)
        while True:
            with self._lock:
                updates = self._updates[: poll.limit]
            if updates or time.monotonic() >= deadline:
                return updates
            await asyncio.sleep(0.01)

    def _answer_callback_query(self, params: JSONDict) -> bool:
        query_id = str(params.get("callback_query_id") or "")
        with self._lock:
            press = self._presses.get(query_id)
            if press is None:
                raise _ApiError(
                    400,
                    "Bad Request: query is too old and response timeout expired or query ID "
                    "is invalid",
                )
            text = params.get("text")
            if text is not None and len(str(text)) > 200:
                raise _ApiError(400, "Bad Request: MESSAGE_TOO_LONG")
            self._callback_answers.append(
                AnsweredCallback(
                    callback_query_id=query_id,
                    chat_id=press.chat_id,
                    data=press.data,
                    text=None if text is None else str(text),
                    show_alert=str(params.get("show_alert", "")).lower() in {"true", "1"},
                )
            )
        return True

    def _edit_message_reply_markup(self, params: JSONDict) -> bool:
        try:
            chat_id = int(params["chat_id"])
            message_id = int(params["message_id"])
        except (KeyError, TypeError, ValueError):
            raise _ApiError(400, "Bad Request: message to edit not found") from None
        with self._lock:
            if self._refused_edits:
                raise _ApiError(400, self._refused_edits.popleft())
            markup = params.get("reply_markup")
            self._edited_markups.append(
                EditedMarkup(
                    chat_id=chat_id,
                    message_id=message_id,
                    reply_markup=markup if isinstance(markup, dict) else None,
                )
            )
        return True

    def _set_webhook(self, params: JSONDict) -> bool:
        url = params.get("url")
        if not isinstance(url, str):
            raise _ApiError(400, "Bad Request: bad webhook: URL must be provided")
        allowed = params.get("allowed_updates")
        secret = params.get("secret_token")
        with self._lock:
            self._webhooks.append(SetWebhook(
                url=url, secret_token=None if secret is None else str(secret),
                allowed_updates=allowed if isinstance(allowed, list) else None,
                drop_pending_updates=str(params.get("drop_pending_updates", "")).lower()
                in {"true", "1"}))
            self._webhook_url = url
        return True

    def _set_my_commands(self, params: JSONDict) -> bool:
        commands = params.get("commands")
        scope = params.get("scope")
        if not isinstance(commands, list):
            raise _ApiError(400, "Bad Request: can't parse commands JSON object")
        with self._lock:
            if self._refuse_set_my_commands:
                raise _ApiError(400, "Bad Request: BOT_COMMANDS_TOO_MUCH")
            self._my_commands.append(
                SetCommands(commands=commands, scope=scope if isinstance(scope, dict) else None)
            )
        return True

    def _edit_message_text(self, params: JSONDict) -> JSONDict:
        try:
            chat_id = int(params["chat_id"])
            message_id = int(params["message_id"])
        except (KeyError, TypeError, ValueError):
            raise _ApiError(400, "Bad Request: message to edit not found") from None
        text = params.get("text")
        if not isinstance(text, str) or not text:
            raise _ApiError(400, "Bad Request: message text is empty")
        markup = params.get("reply_markup")
        with self._lock:
            if self._refused_edits:
                raise _ApiError(400, self._refused_edits.popleft())
            self._edited_texts.append(
                EditedText(
                    chat_id=chat_id,
                    message_id=message_id,
                    text=text,
                    parse_mode=params.get("parse_mode"),
                    reply_markup=markup if isinstance(markup, dict) else None,
                )
            )
        chat: JSONDict = {"id": chat_id, "type": _chat_type(chat_id)}
        if chat["type"] != "private":
            chat["title"] = "Group"
        return {"message_id": message_id, "date": int(time.time()), "chat": chat,
                "from": self._bot_user(), "text": text}

    def _bot_user(self) -> JSONDict:
        return {
            "id": self.BOT_ID,
            "is_bot": True,
            "first_name": "Outreach Test Bot",
            "username": "outreach_test_bot",
            "can_join_groups": True,
            "can_read_all_group_messages": False,
            "supports_inline_queries": False,
        }

    def _send_message(self, params: JSONDict) -> tuple[JSONDict, float]:
        try:
            chat_id = int(params["chat_id"])
        except (KeyError, TypeError, ValueError):
            raise _ApiError(400, "Bad Request: chat_id is empty") from None
        text = params.get("text")
        if not isinstance(text, str) or not text:
            raise _ApiError(400, "Bad Request: message text is empty")
        now = time.monotonic()
        with self._lock:
            if self._injected_retry_after:
                raise self._flood(self._injected_retry_after.popleft())
            if chat_id in self._migrated:
                raise _ApiError(
                    400,
                    "Bad Request: group chat was upgraded to a supergroup chat",
                    {"migrate_to_chat_id": self._migrated[chat_id]},
                )
            if chat_id in self._blocked:
                raise _ApiError(403, "Forbidden: bot was blocked by the user")
            if chat_id in self._deactivated:
                raise _ApiError(403, "Forbidden: user is deactivated")
            if chat_id in self._missing:
                raise _ApiError(400, "Bad Request: chat not found")
            if self.enforce_limits:
                self._check_limits(chat_id, now)
            message_id = self._next_message_id
            self._next_message_id += 1
            self._messages.append(
                ReceivedMessage(
                    message_id=message_id,
                    chat_id=chat_id,
                    text=text,
                    parse_mode=params.get("parse_mode"),
                    reply_markup=params.get("reply_markup"),
                    link_preview_options=params.get("link_preview_options"),
                    timestamp=now,
                )
            )
            delay = self._delays.popleft() if self._delays else 0.0
        chat_type = _chat_type(chat_id)
        chat: JSONDict = {"id": chat_id, "type": chat_type}
        if chat_type != "private":
            chat["title"] = "Group"
        result: JSONDict = {
            "message_id": message_id,
            "date": int(time.time()),
            "chat": chat,
            "from": self._bot_user(),
            "text": text,
        }
        return result, delay

    def _send_upload(self, method: str, params: JSONDict,
                     files: dict[str, tornado.httputil.HTTPFile]) -> JSONDict:
        field = "photo" if method == "sendPhoto" else "document"
        try:
            chat_id = int(params["chat_id"])
        except (KeyError, TypeError, ValueError):
            raise _ApiError(400, "Bad Request: chat_id is empty") from None
        upload = files.get(field)
        if upload is None:  # a file_id or URL instead of an upload: not simulated
            raise _ApiError(400, f"Bad Request: there is no {field} in the request")
        with self._lock:
            message_id = self._next_message_id
            self._next_message_id += 1
            self._uploads.append(ReceivedUpload(
                message_id=message_id, method=method, chat_id=chat_id,
                filename=upload.filename, content_type=upload.content_type,
                content=upload.body, caption=params.get("caption"),
                parse_mode=params.get("parse_mode"),
                reply_markup=params.get("reply_markup")))
        chat: JSONDict = {"id": chat_id, "type": _chat_type(chat_id)}
        return {"message_id": message_id, "date": int(time.time()), "chat": chat,
                "from": self._bot_user(), "caption": params.get("caption") or ""}

    def _flood(self, retry_after: int) -> _ApiError:
        self._too_many_requests += 1
        return _ApiError(
            429, f"Too Many Requests: retry after {retry_after}", {"retry_after": retry_after}
        )

    def _check_limits(self, chat_id: int, now: float) -> None:
        """Sliding one-second windows, overall and per chat; called with the lock held."""
        window_start = now - 1.0
        while self._recent and self._recent[0] <= window_start:
            self._recent.popleft()
        chat_recent = self._recent_by_chat.setdefault(chat_id, deque())
        while chat_recent and chat_recent[0] <= window_start:
            chat_recent.popleft()
        waits = []
        if len(self._recent) >= self.messages_per_second:
            waits.append(self._recent[-self.messages_per_second] + 1.0 - now)
        if len(chat_recent) >= self.per_chat_per_second:
            waits.append(chat_recent[-self.per_chat_per_second] + 1.0 - now)
        if waits:
            raise self._flood(max(1, math.ceil(max(waits))))
        self._recent.append(now)
        chat_recent.append(now)


def _chat_type(chat_id: int) -> str:
    return "private" if chat_id > 0 else "supergroup" if chat_id < -(10**12) else "group"


def _parameters(request: tornado.httputil.HTTPServerRequest) -> JSONDict:
    content_type = request.headers.get("Content-Type", "")
    if content_type.startswith("application/json"):
        body = json.loads(request.body or b"{}")
        if not isinstance(body, dict):
            raise _ApiError(400, "Bad Request: parameters must be a JSON object")
        return body
    params: JSONDict = {}
    # tornado parses url-encoded and multipart bodies; the query string counts too
    for name, values in {**request.query_arguments, **request.body_arguments}.items():
        value = values[-1].decode("utf-8")
        if name in _JSON_FIELDS:
            try:
                params[name] = json.loads(value)
            except ValueError:
                raise _ApiError(400, f"Bad Request: can't parse {name} JSON object") from None
        else:
            params[name] = value
    return params


class _MethodHandler(tornado.web.RequestHandler):
    def initialize(self, api: FakeBotApi) -> None:
        self.api = api

    async def post(self, token: str, method: str) -> None:
        try:
            files = {name: parts[-1] for name, parts in self.request.files.items() if parts}
            result, delay = self.api.handle(token, method, _parameters(self.request), files)
        except _ApiError as error:
            self._answer(error.status, _error_body(error))
            return
        if isinstance(result, _LongPoll):
            result = await self.api.get_updates(result)
        if delay:
            await asyncio.sleep(delay)
        self._answer(200, {"ok": True, "result": result})

    get = post

    def _answer(self, status: int, body: JSONDict) -> None:
        self.set_status(status)
        self.set_header("Content-Type", "application/json")
        self.write(json.dumps(body))
        with contextlib.suppress(tornado.iostream.StreamClosedError):
            self.finish()  # the client may have given up waiting


def _error_body(error: _ApiError) -> JSONDict:
    body: JSONDict = {"ok": False, "error_code": error.status, "description": error.description}
    if error.parameters:
        body["parameters"] = error.parameters
    return body
