"""Composition root for sending: settings -> senders -> dispatcher."""

from urllib.parse import urlparse

from bot.channels.email import sender_from_settings
from bot.channels.telegram import TelegramSender
from bot.context import CliContext
from bot.dispatcher import Dispatcher, LinkSettings


def build_dispatcher(cli: CliContext) -> Dispatcher:
    settings = cli.settings
    telegram = None
    if settings.telegram_token is not None:
        telegram = TelegramSender(token=settings.telegram_token.get_secret_value(),
                                  base_url=settings.telegram_api_url)
    secret = settings.secret_key.get_secret_value() if settings.secret_key else None
    domain = urlparse(settings.public_url).hostname if settings.public_url else None
    links = LinkSettings(public_url=settings.public_url, secret=secret,
                         message_id_domain=domain or "outreach.invalid")
    return Dispatcher(engine=cli.engine, email=sender_from_settings(settings), telegram=telegram,
                      links=links, working_hours=settings.working_hours)
