"""`outreach run` in webhook mode, and a Bot API server that refuses the optional calls.

Real processes and the fake Bot API: the leading process calls setWebhook with the secret,
Telegram's posts (made here as Telegram makes them) reach the service's own HTTP port at the
URL's path, a wrong or missing secret is refused without a word to anyone, a standing-by
process answers 503 until it leads. Polling stays the default, and works against a server
that refuses setMyCommands and deleteWebhook. The settings' checks are in
tests/cli/test_webhook_settings.py.
"""

import json
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any

from scheduler.leader import STANDING_BY, STANDING_BY_SQLITE
from tests.support.fake_bot_api import FakeBotApi
from tests.support.service import ANSWER_SECONDS, Service, running_service, wait_for

ADMIN = 5550002
SECRET = "s3cret_webhook-Token"
PUBLIC_URL = "https://bot.example.org/telegram/updates"  # what the reverse proxy serves
PATH = "/telegram/updates"


def bot_env(api: FakeBotApi, **extra: str) -> dict[str, str]:
    return {
        "OUTREACH_TELEGRAM_TOKEN": FakeBotApi.TOKEN,
        "OUTREACH_TELEGRAM_API_URL": api.base_url,
        "OUTREACH_ADMIN_TELEGRAM_IDS": str(ADMIN),
        "OUTREACH_LEADER_RETRY_SECONDS": "0.3",
        **extra,
    }


def webhook_env(api: FakeBotApi) -> dict[str, str]:
    return bot_env(api, OUTREACH_WEBHOOK_URL=PUBLIC_URL, OUTREACH_WEBHOOK_SECRET=SECRET)


def post(service: Service, update: dict[str, Any], secret: str | None
         ) -> tuple[int, dict[str, str]]:
    """POST the update to the service as Telegram would; the status and the headers."""
    url = service.health_url.removesuffix("/healthz") + PATH
    headers = {"Content-Type": "application/json"}
    if secret is not None:
        headers["X-Telegram-Bot-Api-Secret-Token"] = secret
    request = urllib.request.Request(url, data=json.dumps(update).encode(), headers=headers,
                                     method="POST")
    try:
        with urllib.request.urlopen(request, timeout=ANSWER_SECONDS) as response:
            return response.status, dict(response.headers)
    except urllib.error.HTTPError as error:
        with error:
            return error.code, dict(error.headers)


def warnings_of(service: Service, text: str) -> list[str]:
    return [line for line in service.stderr().splitlines()
            if " WARNING " in line and text in line]


def test_the_leader_sets_the_webhook_and_answers_only_posts_with_the_secret(
    tmp_path: Path, database_url: str
) -> None:
    with FakeBotApi() as api, running_service(tmp_path, database_url,
                                              webhook_env(api)) as service:
        service.wait_until_answering()
        wait_for(lambda: len(api.webhooks) == 1)
        [webhook] = api.webhooks
        assert (webhook.url, webhook.secret_token) == (PUBLIC_URL, SECRET)
        assert webhook.allowed_updates == ["callback_query", "message"]
        assert not webhook.drop_pending_updates
        assert set(api.calls) == {"getMe", "setMyCommands", "setWebhook"}

        missing = post(service, api.send_text(ADMIN, ADMIN, "/help"), None)
        wrong = post(service, api.send_text(ADMIN, ADMIN, "/help"), "not-the-secret")
        assert (missing[0], wrong[0]) == (403, 403)
        assert api.messages == []

        status, _ = post(service, api.send_text(ADMIN, ADMIN, "/help"), SECRET)
        assert status == 200
        wait_for(lambda: len(api.messages) >= 1)
        # the bot answers updates one after the other: had a refused post been read, its
        # answer would have come before this one
        [answer] = api.messages
        assert answer.chat_id == ADMIN
        assert "/log" in answer.text and "/events" in answer.text and "/grant" in answer.text
        assert "getUpdates" not in api.calls and "deleteWebhook" not in api.calls
        assert service.stop() == 0, service.stderr()
    logged = service.stderr()
    assert len(warnings_of(service, "secret token missing")) == 1
    assert len(warnings_of(service, "secret token wrong")) == 1
    assert "not-the-secret" not in logged and SECRET not in logged


def test_even_at_debug_level_the_log_does_not_quote_what_people_typed(
    tmp_path: Path, database_url: str
) -> None:
    typed = "/log 2023-01-02 | Seminar with Claire Invented | virtual"
    with FakeBotApi() as api, running_service(
            tmp_path, database_url, {**webhook_env(api), "OUTREACH_LOG_LEVEL": "DEBUG"}
    ) as service:
        service.wait_until_answering()
        wait_for(lambda: len(api.webhooks) == 1)
        assert post(service, api.send_text(ADMIN, ADMIN, typed), SECRET)[0] == 200
        wait_for(lambda: len(api.messages) == 1)
        assert "Claire Invented" in api.messages[0].text  # read and answered
        assert service.stop() == 0, service.stderr()
    logged = service.stderr()
    assert " DEBUG " in logged  # the level took effect
    assert "Claire Invented" not in logged


def test_a_standing_by_process_answers_503_until_it_takes_over(
    tmp_path: Path, database_url: str
) -> None:
    with FakeBotApi() as api:
        env = webhook_env(api)
        with running_service(tmp_path / "a", database_url, env) as first:
            first.wait_until_answering()
            wait_for(lambda: len(api.webhooks) == 1)
            with running_service(tmp_path / "b", database_url, env) as second:
                second.wait_until_answering()
                standing_by = STANDING_BY_SQLITE if database_url.startswith("sqlite") \
                    else STANDING_BY
                wait_for(lambda: standing_by in second.stderr())  # it tried: the first leads
                status, headers = post(second, api.send_text(ADMIN, ADMIN, "/help"), SECRET)
                assert status == 503
                assert headers.get("Retry-After") == "5"
                assert len(api.webhooks) == 1 and api.messages == []

                first.process.kill()  # no goodbye: the other one must take over
                first.process.wait()
                wait_for(lambda: len(api.webhooks) == 2)
                assert api.webhooks[1].url == PUBLIC_URL
                status, _ = post(second, api.send_text(ADMIN, ADMIN, "/help"), SECRET)
                assert status == 200
                wait_for(lambda: len(api.messages) == 1)
                assert api.messages[0].chat_id == ADMIN
                assert second.stop() == 0, second.stderr()
    # standing by is normal: its 503 is no error in the log
    assert " ERROR " not in second.stderr() and "503 POST /telegram/updates" in second.stderr()


def test_a_refused_set_webhook_is_an_error_in_the_log_and_http_goes_on(
    tmp_path: Path, database_url: str
) -> None:
    with FakeBotApi() as api:
        api.refuse("setWebhook", 400, "Bad Request: bad webhook: Failed to resolve host")
        with running_service(tmp_path, database_url, webhook_env(api)) as service:
            service.wait_until_answering()
            wait_for(lambda: "setWebhook" in api.calls)
            wait_for(lambda: "telegram bot stopped" in service.stderr())
            assert service.health().status == 200
            status, _ = post(service, api.send_text(ADMIN, ADMIN, "/help"), SECRET)
            assert status == 503  # no bot to take it: Telegram keeps it for later
            assert service.stop() == 0, service.stderr()
    [line] = [line for line in service.stderr().splitlines() if "telegram bot stopped" in line]
    assert " ERROR " in line
    assert "bad webhook: failed to resolve host" in service.stderr().lower()
    assert FakeBotApi.TOKEN not in service.stderr() and SECRET not in service.stderr()


def test_polling_is_the_default_and_refused_optional_calls_are_one_warning_each(
    tmp_path: Path, database_url: str
) -> None:
    with FakeBotApi() as api:
        api.refuse("setMyCommands")  # 404 Not Found, as a server without the method answers
        api.refuse("deleteWebhook", 400, "Bad Request: not supported here")
        with running_service(tmp_path, database_url, bot_env(api)) as service:
            service.wait_until_answering()
            wait_for(lambda: "getUpdates" in api.calls)
            api.send_text(ADMIN, ADMIN, "/help")
            wait_for(lambda: len(api.messages) == 1)
            assert "/events" in api.messages[0].text
            assert api.webhooks == [] and api.my_commands == []
            assert service.stop() == 0, service.stderr()
    assert len(warnings_of(service, "command menus not set")) == 1
    assert len(warnings_of(service, "deleteWebhook refused")) == 1
    assert set(api.calls) == {"getMe", "setMyCommands", "deleteWebhook", "getUpdates",
                              "sendMessage"}
