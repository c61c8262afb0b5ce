"""One typed Settings object, read from OUTREACH_* environment variables once, in main()."""

from datetime import time
from pathlib import Path

from pydantic import Field, SecretStr, field_validator, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from scheduler.working_hours import WorkingHours
from storage.staff import is_user_id


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="OUTREACH_", extra="ignore")

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
        description="Name recorded in the audit log for CLI changes (default: cli:<login>).",
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
        default="1540 Committee <outreach@example.org>", description="From: of every e-mail."
    )
    reply_to: str | None = Field(default=None, description="Reply-To: of every e-mail.")
    mail_per_minute: int | None = Field(
        default=None, ge=1, description="Cap on e-mails per minute (Exchange Online: 30)."
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
    admin_telegram_ids: str = Field(
        default="",
        description="Comma-separated Telegram user ids made admin at `outreach init` and "
        "`outreach run` (never revoked by removing them).",
    )

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

    @property
    def effective_database_url(self) -> str:
        if self.database_url:
            return self.database_url
        return f"sqlite:///{(self.data_dir / 'outreach.db').resolve()}"


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
