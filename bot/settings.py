"""One typed Settings object, read from OUTREACH_* environment variables once, in main()."""

from pathlib import Path

from pydantic import Field, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict


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

    @field_validator("database_url")
    @classmethod
    def _known_backend(cls, value: str | None) -> str | None:
        if value and not value.startswith(("sqlite", "postgresql")):
            raise ValueError("only sqlite:// and postgresql+psycopg:// URLs are supported")
        return value

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
