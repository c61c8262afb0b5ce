"""The Bot API methods the fake answers, and Telegram's limits it may enforce: the state a
spec scripts and reads lives here too (tests.support.fake_bot_api.FakeBotApi drives it)."""

import asyncio
import math
import threading
import time
from collections import deque
from typing import Any

import tornado.httputil

from tests.support.fake_bot_api.records import (
    AnsweredCallback,
    ApiError,
    EditedMarkup,
    EditedText,
    JSONDict,
    LongPoll,
    Press,
    ReceivedMessage,
    ReceivedUpload,
    SetCommands,
    SetWebhook,
    type_of_chat,
)

CAPTION_LIMIT = 1024  # characters of a document's or a photo's caption


class BotApiMethods:
    """The state behind the fake, and the methods that answer Bot API calls."""

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
        self._presses: dict[str, Press] = {}  # callback query id -> the press
        self._callback_answers: list[AnsweredCallback] = []
        self._edited_markups: list[EditedMarkup] = []
        self._refused_edits: deque[str] = deque()
        self._edited_texts: list[EditedText] = []
        self._my_commands: list[SetCommands] = []
        self._refuse_set_my_commands = False
        self._refused_methods: dict[str, ApiError] = {}
        self._files: dict[str, bytes] = {}  # file_id -> content (getFile, the file URL)
        self._webhooks: list[SetWebhook] = []
        self._webhook_url = ""
        self._uploads: list[ReceivedUpload] = []
        self._thread: threading.Thread | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self._stop: asyncio.Event | None = None
        self._port: int | None = None

    # -- the API -------------------------------------------------------------------------

    def handle(self, token: str, method: str, params: JSONDict,
               files: dict[str, tornado.httputil.HTTPFile] | None = None
               ) -> tuple[Any, float]:
        """Answer one call: (the result, seconds to hold the answer). Raises ApiError."""
        if token not in self.tokens:
            raise ApiError(401, "Unauthorized")
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
        if method == "getFile":
            return self._get_file(params), 0.0
        if method in {"sendPhoto", "sendDocument"}:
            return self._send_upload(method, params, files or {}), 0.0
        raise ApiError(404, "Not Found: method not found")

    def _long_poll(self, params: JSONDict) -> LongPoll:
        try:
            offset = int(params["offset"]) if params.get("offset") is not None else None
            limit = int(params.get("limit") or 100)
            timeout = float(params.get("timeout") or 0)
        except (TypeError, ValueError):
            raise ApiError(400, "Bad Request: wrong parameter in getUpdates") from None
        with self._lock:
            if self._webhook_url:
                raise ApiError(409, "Conflict: can't use getUpdates method while webhook is "
                                     "active; use deleteWebhook to delete the webhook first")
            if offset is not None:  # confirms every update before it, as Telegram does
                self._updates = [u for u in self._updates if u["update_id"] >= offset]
        return LongPoll(offset=offset, limit=max(1, min(limit, 100)), timeout=max(0.0, timeout))

    async def get_updates(self, poll: LongPoll) -> list[JSONDict]:
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
                raise ApiError(
                    400,
                    "Bad Request: query is too old and response timeout expired or query ID "
                    "is invalid",
                )
            text = params.get("text")
            if text is not None and len(str(text)) > 200:
                raise ApiError(400, "Bad Request: MESSAGE_TOO_LONG")
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
            raise ApiError(400, "Bad Request: message to edit not found") from None
        with self._lock:
            if self._refused_edits:
                raise ApiError(400, self._refused_edits.popleft())
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
            raise ApiError(400, "Bad Request: bad webhook: URL must be provided")
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
            raise ApiError(400, "Bad Request: can't parse commands JSON object")
        with self._lock:
            if self._refuse_set_my_commands:
                raise ApiError(400, "Bad Request: BOT_COMMANDS_TOO_MUCH")
            self._my_commands.append(
                SetCommands(commands=commands, scope=scope if isinstance(scope, dict) else None)
            )
        return True

    def _edit_message_text(self, params: JSONDict) -> JSONDict:
        try:
            chat_id = int(params["chat_id"])
            message_id = int(params["message_id"])
        except (KeyError, TypeError, ValueError):
            raise ApiError(400, "Bad Request: message to edit not found") from None
        text = params.get("text")
        if not isinstance(text, str) or not text:
            raise ApiError(400, "Bad Request: message text is empty")
        markup = params.get("reply_markup")
        with self._lock:
            if self._refused_edits:
                raise ApiError(400, self._refused_edits.popleft())
            self._edited_texts.append(
                EditedText(
                    chat_id=chat_id,
                    message_id=message_id,
                    text=text,
                    parse_mode=params.get("parse_mode"),
                    reply_markup=markup if isinstance(markup, dict) else None,
                )
            )
        chat: JSONDict = {"id": chat_id, "type": type_of_chat(chat_id)}
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
            raise ApiError(400, "Bad Request: chat_id is empty") from None
        text = params.get("text")
        if not isinstance(text, str) or not text:
            raise ApiError(400, "Bad Request: message text is empty")
        now = time.monotonic()
        with self._lock:
            if self._injected_retry_after:
                raise self._flood(self._injected_retry_after.popleft())
            if chat_id in self._migrated:
                raise ApiError(
                    400,
                    "Bad Request: group chat was upgraded to a supergroup chat",
                    {"migrate_to_chat_id": self._migrated[chat_id]},
                )
            if chat_id in self._blocked:
                raise ApiError(403, "Forbidden: bot was blocked by the user")
            if chat_id in self._deactivated:
                raise ApiError(403, "Forbidden: user is deactivated")
            if chat_id in self._missing:
                raise ApiError(400, "Bad Request: chat not found")
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
        chat_type = type_of_chat(chat_id)
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

    def _get_file(self, params: JSONDict) -> JSONDict:
        file_id = str(params.get("file_id", ""))
        with self._lock:
            content = self._files.get(file_id)
        if content is None:
            raise ApiError(400, "Bad Request: invalid file_id")
        return {"file_id": file_id, "file_unique_id": f"u{file_id}", "file_size": len(content),
                "file_path": f"documents/{file_id}"}

    def _send_upload(self, method: str, params: JSONDict,
                     files: dict[str, tornado.httputil.HTTPFile]) -> JSONDict:
        field = "photo" if method == "sendPhoto" else "document"
        try:
            chat_id = int(params["chat_id"])
        except (KeyError, TypeError, ValueError):
            raise ApiError(400, "Bad Request: chat_id is empty") from None
        upload = files.get(field)
        if upload is None:  # a file_id or URL instead of an upload: not simulated
            raise ApiError(400, f"Bad Request: there is no {field} in the request")
        # the raw caption: stricter than Telegram, which counts it once its HTML is parsed
        if len(str(params.get("caption") or "")) > CAPTION_LIMIT:
            raise ApiError(400, "Bad Request: message caption is too long")
        with self._lock:
            message_id = self._next_message_id
            self._next_message_id += 1
            self._uploads.append(ReceivedUpload(
                message_id=message_id, method=method, chat_id=chat_id,
                filename=upload.filename, content_type=upload.content_type,
                content=upload.body, caption=params.get("caption"),
                parse_mode=params.get("parse_mode"),
                reply_markup=params.get("reply_markup")))
        chat: JSONDict = {"id": chat_id, "type": type_of_chat(chat_id)}
        return {"message_id": message_id, "date": int(time.time()), "chat": chat,
                "from": self._bot_user(), "caption": params.get("caption") or ""}

    def _flood(self, retry_after: int) -> ApiError:
        self._too_many_requests += 1
        return ApiError(
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
