"""Settings read from the environment and `.env` (pydantic-settings).

Every knob the operator may turn lives here; domain defaults the Secretariat edits at run time
(matching weights, consent deadlines...) live in the database instead.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Annotated, Literal

from pydantic import Field, SecretStr, field_validator, model_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

# A development secret that is obviously not a secret; production refuses to start with it.
DEFAULT_SECRET_KEY = "dev-insecure-secret-change-me"  # noqa: S105

Environment = Literal["development", "testing", "production"]


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_file=".env", env_file_encoding="utf-8", extra="ignore")

    env: Environment = "development"
    database_url: str | None = None
    secret_key: SecretStr = SecretStr(DEFAULT_SECRET_KEY)
    cors_origins: Annotated[list[str], NoDecode] = Field(default_factory=list)
    public_base_url: str = "http://127.0.0.1:8000"
    port: int = 8000
    host: str = "127.0.0.1"
    # Where the embedded PostgreSQL keeps its files when DATABASE_URL is unset.
    data_dir: Path = Path(".data")
    log_level: str = "INFO"

    # SMTP: when smtp_host is unset, e-mails are kept in the outbox and logged (development mailbox).
    smtp_host: str | None = None
    smtp_port: int = 587
    smtp_username: str | None = None
    smtp_password: SecretStr | None = None
    smtp_starttls: bool = True
    smtp_from: str = "ACSG platform <no-reply@acsg.local>"

    # Request limits.
    max_body_bytes: int = 2 * 1024 * 1024
    max_upload_bytes: int = 25 * 1024 * 1024
    # One stored file (attachments of knowledge items, progress reports...).
    max_file_bytes: int = 10 * 1024 * 1024
    max_page_size: int = 200
    default_page_size: int = 25

    # Authentication.
    session_ttl_hours: int = 12
    login_max_failures: int = 5
    login_lockout_minutes: int = 15
    login_rate_per_ip_per_minute: int = 20
    invitation_ttl_hours: int = 72
    password_reset_ttl_minutes: int = 60
    integration_token_ttl_seconds: int = 900

    # Integration clients: calls per client and minute, unless the Secretariat set a client's own limit.
    integration_rate_limit_per_minute: int = 600

    # Webhooks: private, loopback and link-local targets are refused unless this is set (tests only).
    webhooks_allow_private_targets: bool = False
    webhook_timeout_seconds: float = 10.0

    # Bulk imports: data rows per file; files with more rows than `import_inline_max_rows` are processed by
    # the worker as a background job (the upload answers 202 with the job to poll).
    import_max_rows: int = 200_000
    import_inline_max_rows: int = 5_000

    # Background worker: whether `acsg serve` also runs the outbox worker in-process.
    run_worker_in_process: bool = True

    @field_validator("cors_origins", mode="before")
    @classmethod
    def _split_origins(cls, value: object) -> object:
        if isinstance(value, str):
            return [origin.strip() for origin in value.split(",") if origin.strip()]
        return value

    @model_validator(mode="after")
    def _production_is_configured(self) -> Settings:
        if self.env == "production":
            if self.secret_key.get_secret_value() == DEFAULT_SECRET_KEY or len(self.secret_key) < 32:
                raise ValueError("SECRET_KEY must be set to a random value of at least 32 characters in production")
            if not self.database_url:
                raise ValueError("DATABASE_URL must be set in production (the embedded database is for development)")
        return self

    @property
    def is_https(self) -> bool:
        return self.public_base_url.startswith("https://")


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    return Settings()
