"""The fake Bot API as a spec uses it: start and stop its server, script what people do and
what Telegram answers, and read back what arrived (see tests.support.fake_bot_api)."""

import asyncio
import contextlib
import json
import threading
import time

import tornado.httpserver
import tornado.httputil
import tornado.iostream
import tornado.netutil
import tornado.web

from tests.support.fake_bot_api.methods import BotApiMethods
from tests.support.fake_bot_api.records import (
    JSON_FIELDS,
    NOT_MODIFIED,
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


class FakeBotApi(BotApiMethods):
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
                [(r"/bot([^/]*)/([A-Za-z0-9_]+)", _MethodHandler, {"api": self}),
                 (r"/file/bot([^/]*)/(.+)", _FileHandler, {"api": self})],
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
            self._presses[query_id] = Press(chat_id=chat_id, data=data)
            sent = [m for m in self._messages if m.message_id == message_id]
            chat: JSONDict = {"id": chat_id, "type": type_of_chat(chat_id)}
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
            chat: JSONDict = {"id": chat_id, "type": type_of_chat(chat_id)}
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

    def send_document(self, chat_id: int, user_id: int, file_name: str, content: bytes,
                      mime_type: str = "application/octet-stream",
                      file_size: int | None = None) -> JSONDict:
        """A person sends a file in chat `chat_id`, as Telegram delivers it: an update whose
        message has a document (file_id, name, type, size: `file_size` when Telegram would
        say another, e.g. over its 20 MB); getFile and the file URL then serve `content`."""
        with self._lock:
            update_id = self._next_update_id
            self._next_update_id += 1
            file_id = f"doc-{update_id}"
            self._files[file_id] = content
            message: JSONDict = {
                "message_id": self._next_message_id,
                "date": int(time.time()),
                "chat": {"id": chat_id, "type": type_of_chat(chat_id)},
                "from": {"id": user_id, "is_bot": False, "first_name": "Test",
                         "language_code": "en"},
                "document": {"file_id": file_id, "file_unique_id": f"u{file_id}",
                             "file_name": file_name, "mime_type": mime_type,
                             "file_size": len(content) if file_size is None else file_size},
            }
            self._next_message_id += 1
            update = {"update_id": update_id, "message": message}
            self._updates.append(update)
            return update

    def file_content(self, path: str) -> bytes | None:
        with self._lock:
            return self._files.get(path.removeprefix("documents/"))

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
            self._refused_methods[method] = ApiError(status, description)

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
            self._files.clear()
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


def _parameters(request: tornado.httputil.HTTPServerRequest) -> JSONDict:
    content_type = request.headers.get("Content-Type", "")
    if content_type.startswith("application/json"):
        body = json.loads(request.body or b"{}")
        if not isinstance(body, dict):
            raise ApiError(400, "Bad Request: parameters must be a JSON object")
        return body
    params: JSONDict = {}
    # tornado parses url-encoded and multipart bodies; the query string counts too
    for name, values in {**request.query_arguments, **request.body_arguments}.items():
        value = values[-1].decode("utf-8")
        if name in JSON_FIELDS:
            try:
                params[name] = json.loads(value)
            except ValueError:
                raise ApiError(400, f"Bad Request: can't parse {name} JSON object") from None
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
        except ApiError as error:
            self._answer(error.status, _error_body(error))
            return
        if isinstance(result, LongPoll):
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


class _FileHandler(tornado.web.RequestHandler):
    """The Bot API's file download: /file/bot<token>/<file_path of getFile>."""

    def initialize(self, api: FakeBotApi) -> None:
        self.api = api

    def get(self, token: str, path: str) -> None:
        content = self.api.file_content(path) if token in self.api.tokens else None
        if content is None:
            self.set_status(404)
            self.finish()
            return
        self.set_header("Content-Type", "application/octet-stream")
        self.finish(content)


def _error_body(error: ApiError) -> JSONDict:
    body: JSONDict = {"ok": False, "error_code": error.status, "description": error.description}
    if error.parameters:
        body["parameters"] = error.parameters
    return body
