"""One typed Settings object, read from OUTREACH_* environment variables once, in main()."""

import re
from datetime import time
from pathlib import Path
from urllib.parse import urlsplit

from pydantic import Field, SecretStr, field_validator, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from scheduler.assistance import step_days
from scheduler.working_hours import WorkingHours
from storage.audit import ACTOR_LENGTH
from storage.db import DEFAULT_BUSY_SECONDS
from storage.reminders import REPLY_LINK_DAYS
from storage.staff import is_user_id


class Settings(BaseSettings):
    # hide_input_in_errors: an error must not print the values given (tokens, passwords)
    model_config = SettingsConfigDict(env_prefix="OUTREACH_", extra="ignore",
                                      hide_input_in_errors=True)

    data_dir: Path = Field(
        default=Path("outreach-data"),
        description="Where the SQLite database, written mail and reports live.",
    )
    database_url: str | None = Field(
        default=None,
        description="SQLAlchemy URL; unset means SQLite at DATA_DIR/outreach.db. "
        "PostgreSQL: postgresql+psycopg://user:pass@host:5432/db",
    )
    actor: str | None = Field(
        default=None,
        max_length=ACTOR_LENGTH,
        description="Name recorded in the audit log for CLI changes (default: cli:<login>).",
    )
    sqlite_busy_seconds: float = Field(
        default=DEFAULT_BUSY_SECONDS, gt=0,
        description="On SQLite, how long a write waits for another writer (an import, the "
        "service) to finish before giving up with nothing written.",
    )
    log_level: str = Field(default="INFO", description="Python logging level.")
    http_host: str = Field(default="127.0.0.1", description="Address `outreach run` listens on.")
    http_port: int = Field(default=8080, ge=1, le=65535, description="Port of /healthz.")
    dispatch_every_seconds: float = Field(
        default=15, gt=0, description="How often `outreach run` sends what is due."
    )

    sweep_every_seconds: float = Field(
        default=3600, gt=0, description="How often `outreach run` queues due reminders."
    )
    working_hours_start: time = Field(
        default=time(9, 0), description="Reminders reach a PoC from this local time (HH:MM)."
    )
    working_hours_end: time = Field(
        default=time(17, 0), description="... until this local time (HH:MM)."
    )
    working_days: list[int] = Field(
        default=[0, 1, 2, 3, 4],
        description="Local weekdays reminders may arrive on, Monday=0, as JSON: [0,1,2,3,4].",
    )
    leader_retry_seconds: float = Field(
        default=15, gt=0,
        description="How often a standing-by `outreach run` tries to take over the scheduler.",
    )
    smtp_url: SecretStr | None = Field(
        default=None,
        description="smtp://user:pass@host:587 (STARTTLS) or smtps://user:pass@host:465; "
        "unset: mail is written as .eml files under DATA_DIR/outbox-mail.",
    )
    mail_from: str = Field(
        default="1540 Committee <outreach@example.org>",
        description="From: of every e-mail; its domain names the List-Id header.",
    )
    reply_to: str | None = Field(default=None, description="Reply-To: of every e-mail.")
    mail_per_minute: int | None = Field(
        default=None, ge=1, description="Cap on e-mails per minute (Exchange Online: 30)."
    )
    mail_window: int = Field(
        default=4, ge=1, le=32,
        description="E-mails in flight at once, each on its own SMTP connection; a crash "
        "leaves at most this many deliveries `uncertain` for a person to check.",
    )
    public_url: str | None = Field(
        default=None,
        description="Public base URL of the bot's HTTP endpoint, for unsubscribe links.",
    )
    secret_key: SecretStr | None = Field(
        default=None,
        description="Signs the links in messages (unsubscribe); required with PUBLIC_URL.",
    )
    telegram_token: SecretStr | None = Field(
        default=None, description="Bot token from @BotFather; unset: no Telegram."
    )
    telegram_api_url: str = Field(
        default="https://api.telegram.org/bot",
        description="Bot API base URL up to and including /bot (python-telegram-bot base_url).",
    )
    telegram_bot_username: str | None = Field(
        default=None,
        description="The bot's @username without the @, for the links `outreach invite` prints.",
    )
    webhook_url: str | None = Field(
        default=None,
        description="The public https URL Telegram posts the bot's updates to (a reverse "
        "proxy forwards it to `outreach run`, which serves its path); unset: the leading "
        "process long-polls.",
    )
    webhook_secret: SecretStr | None = Field(
        default=None,
        description="The secret Telegram sends with every update to WEBHOOK_URL "
        "(X-Telegram-Bot-Api-Secret-Token): 1-256 characters of A-Z, a-z, 0-9, _ and -; "
        "required with WEBHOOK_URL.",
    )
    admin_telegram_ids: str = Field(
        default="",
        description="Comma-separated Telegram user ids made admin at `outreach init` and "
        "`outreach run` (never revoked by removing them).",
    )
    reply_link_days: int = Field(
        default=REPLY_LINK_DAYS, ge=1,
        description="Days after a reminder is sent that its answer links and Telegram buttons "
        "are taken; later, they change nothing and say so. Unsubscribe links never expire.",
    )
    upload_max_bytes: int = Field(
        default=20 * 1024 * 1024, ge=1, le=1024 * 1024 * 1024,
        description="Largest document a PoC may send (`/submit`, the upload page), in bytes; "
        "a larger one is refused and nothing is kept. Telegram's bots download 20 MB at most.",
    )
    assistance_step_days: dict[str, int] = Field(
        default_factory=dict,
        description="Days an assistance request may wait at a step of the procedure before "
        "staff are told, as JSON over the defaults (received 30, circulated 30, open 90, "
        'matched 60, in_progress 365), e.g. {"open": 120}.',
    )

    @field_validator("assistance_step_days")
    @classmethod
    def _known_steps(cls, value: dict[str, int]) -> dict[str, int]:
        return step_days(value)

    @field_validator("database_url")
    @classmethod
    def _known_backend(cls, value: str | None) -> str | None:
        if value and not value.startswith(("sqlite", "postgresql")):
            raise ValueError("only sqlite:// and postgresql+psycopg:// URLs are supported")
        return value

    @model_validator(mode="after")
    def _links_need_a_secret(self) -> "Settings":
        if self.public_url and self.secret_key is None:
            raise ValueError("OUTREACH_PUBLIC_URL needs OUTREACH_SECRET_KEY to sign its links")
        return self

    @field_validator("webhook_url")
    @classmethod
    def _public_https(cls, value: str | None) -> str | None:
        if not value:
            return None
        parts = urlsplit(value)
        local = parts.scheme == "http" and parts.hostname in _LOCAL_HOSTS
        if not (parts.scheme == "https" and parts.hostname) and not local:
            raise ValueError("OUTREACH_WEBHOOK_URL must be an https:// URL (Telegram posts "
                             "only to https; http://127.0.0.1 or http://localhost for tests)")
        path = parts.path or "/"
        if path == "/healthz" or path.startswith(
                ("/unsubscribe/", "/reply/", "/assistance-answer/",
                 "/assistance-request/")):
            raise ValueError(f"OUTREACH_WEBHOOK_URL's path {path} is one the service "
                             "already serves; choose another, e.g. /telegram")
        return value

    @model_validator(mode="after")
    def _webhook_needs_a_secret_and_a_bot(self) -> "Settings":
        if self.webhook_url is None:
            return self
        if self.webhook_secret is None:
            raise ValueError("OUTREACH_WEBHOOK_URL needs OUTREACH_WEBHOOK_SECRET, the secret "
                             "Telegram sends with every update (1-256 characters of A-Z, "
                             "a-z, 0-9, _ and -)")
        if not _WEBHOOK_SECRET.fullmatch(self.webhook_secret.get_secret_value()):
            raise ValueError("OUTREACH_WEBHOOK_SECRET takes 1-256 characters of A-Z, a-z, "
                             "0-9, _ and - (Telegram's rule for secret_token)")
        if self.telegram_token is None:
            raise ValueError("OUTREACH_WEBHOOK_URL needs OUTREACH_TELEGRAM_TOKEN")
        return self

    @property
    def webhook_path(self) -> str | None:
        """The path of OUTREACH_WEBHOOK_URL, which `outreach run` serves; None: polling."""
        return None if self.webhook_url is None else urlsplit(self.webhook_url).path or "/"

    @model_validator(mode="after")
    def _working_hours_make_sense(self) -> "Settings":
        if self.working_hours_start >= self.working_hours_end:
            raise ValueError("OUTREACH_WORKING_HOURS_START must be before ..._END")
        if not self.working_days or any(day not in range(7) for day in self.working_days):
            raise ValueError("OUTREACH_WORKING_DAYS takes weekdays 0 (Monday) to 6 (Sunday)")
        return self

    @property
    def working_hours(self) -> WorkingHours:
        return WorkingHours(start=self.working_hours_start, end=self.working_hours_end,
                            weekdays=frozenset(self.working_days))

    @field_validator("admin_telegram_ids")
    @classmethod
    def _numeric_user_ids(cls, value: str) -> str:
        _user_ids(value)
        return value

    @property
    def admin_ids(self) -> list[int]:
        """The Telegram user ids of OUTREACH_ADMIN_TELEGRAM_IDS, in the order given."""
        return _user_ids(self.admin_telegram_ids)

    @field_validator("log_level")
    @classmethod
    def _known_level(cls, value: str) -> str:
        if value.upper() not in {"DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"}:
            raise ValueError("use DEBUG, INFO, WARNING, ERROR or CRITICAL")
        return value.upper()

    @field_validator("smtp_url")
    @classmethod
    def _smtp_url_parses(cls, value: SecretStr | None) -> SecretStr | None:
        """Refused at start, not after `send` has queued a message; the parser is the
        channel's own (imported here lazily: bot.channels.email imports these settings)."""
        if value is None or not value.get_secret_value().strip():
            return value
        from bot.channels.email.config import SmtpConfig

        try:
            SmtpConfig.from_url(value.get_secret_value())
        except ValueError as error:  # its messages never repeat the URL (a password)
            raise ValueError(f"OUTREACH_SMTP_URL: {error}") from None
        return value

    @field_validator("public_url")
    @classmethod
    def _public_url_is_http(cls, value: str | None) -> str | None:
        if not value:
            return None
        try:
            parts = urlsplit(value.strip())
            parts.port  # noqa: B018 (a port that is not a number raises here)
        except ValueError:
            parts = None
        if parts is None or parts.scheme not in ("http", "https") or not parts.hostname:
            # the value is not repeated: a URL may carry user:password
            raise ValueError("OUTREACH_PUBLIC_URL must be an http:// or https:// URL with a "
                             "host name, e.g. https://outreach.example.org")
        return value.strip()

    @property
    def effective_database_url(self) -> str:
        if self.database_url:
            return self.database_url
        return f"sqlite:///{(self.data_dir / 'outreach.db').resolve()}"


_LOCAL_HOSTS = frozenset({"127.0.0.1", "localhost"})
_WEBHOOK_SECRET = re.compile(r"[A-Za-z0-9_-]{1,256}")


def _user_ids(value: str) -> list[int]:
    """Parse "1, 2,3" into [1, 2, 3]; anything but Telegram user ids is a clear ValueError."""
    ids: list[int] = []
    for entry in (part.strip() for part in value.split(",")):
        if not entry:
            continue
        if not (entry.isascii() and entry.isdigit() and is_user_id(int(entry))):
            raise ValueError(
                f"OUTREACH_ADMIN_TELEGRAM_IDS takes Telegram user ids (positive whole numbers) "
                f"separated by commas; {entry!r} is not one")
        ids.append(int(entry))
    return ids
