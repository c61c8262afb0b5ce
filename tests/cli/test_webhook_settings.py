"""Webhook mode's settings: OUTREACH_WEBHOOK_URL and OUTREACH_WEBHOOK_SECRET, read as
`outreach run` reads them; a mistake is a clear error that never shows a secret. The service
in webhook mode is in tests/e2e/test_webhook.py."""

import pytest
from pydantic import ValidationError

from bot.settings import Settings
from tests.support.fake_bot_api import FakeBotApi

SECRET = "s3cret_webhook-Token"
PUBLIC_URL = "https://bot.example.org/telegram/updates"  # what the reverse proxy serves
PATH = "/telegram/updates"


def settings(monkeypatch: pytest.MonkeyPatch, **values: str) -> Settings:
    for name in ("OUTREACH_WEBHOOK_URL", "OUTREACH_WEBHOOK_SECRET", "OUTREACH_TELEGRAM_TOKEN"):
        monkeypatch.delenv(name, raising=False)
    for name, value in values.items():
        monkeypatch.setenv(f"OUTREACH_{name.upper()}", value)
    return Settings()


def test_polling_unless_a_webhook_url_is_set(monkeypatch: pytest.MonkeyPatch) -> None:
    assert settings(monkeypatch).webhook_path is None
    webhook = settings(monkeypatch, webhook_url=PUBLIC_URL, webhook_secret=SECRET,
                       telegram_token=FakeBotApi.TOKEN)
    assert webhook.webhook_path == PATH
    local = settings(monkeypatch, webhook_url="http://127.0.0.1:8443/tg", webhook_secret="a",
                     telegram_token=FakeBotApi.TOKEN)
    assert local.webhook_path == "/tg"
    assert settings(monkeypatch, webhook_url="http://localhost/", webhook_secret="A" * 256,
                    telegram_token=FakeBotApi.TOKEN).webhook_path == "/"


@pytest.mark.parametrize(("values", "error"), [
    ({"webhook_url": "http://bot.example.org/tg"}, "must be an https:// URL"),
    ({"webhook_url": "bot.example.org/tg"}, "must be an https:// URL"),
    ({"webhook_url": "https:///tg"}, "must be an https:// URL"),
    ({"webhook_url": "https://bot.example.org/healthz"}, "one the service already serves"),
    ({"webhook_url": "https://bot.example.org/assistance-answer/x"},
     "one the service already serves"),
    ({"webhook_url": "https://bot.example.org/assistance-request/x"},
     "one the service already serves"),
    ({"webhook_url": PUBLIC_URL}, "needs OUTREACH_WEBHOOK_SECRET"),
    ({"webhook_url": PUBLIC_URL, "webhook_secret": "no spaces allowed"}, "takes 1-256"),
    ({"webhook_url": PUBLIC_URL, "webhook_secret": "x" * 257}, "takes 1-256"),
    ({"webhook_url": PUBLIC_URL, "webhook_secret": "ökonomie"}, "takes 1-256"),
    ({"webhook_url": PUBLIC_URL, "webhook_secret": SECRET, "telegram_token": ""},
     "needs OUTREACH_TELEGRAM_TOKEN"),
])
def test_a_webhook_misconfigured_is_a_clear_error_that_shows_no_secret(
    monkeypatch: pytest.MonkeyPatch, values: dict[str, str], error: str
) -> None:
    values = {"telegram_token": "123:token-not-to-be-shown", **values}
    if not values["telegram_token"]:
        del values["telegram_token"]
    with pytest.raises(ValidationError, match=error) as raised:
        settings(monkeypatch, **values)
    shown = str(raised.value)
    assert "token-not-to-be-shown" not in shown
    secret = values.get("webhook_secret")
    assert not secret or secret not in shown
