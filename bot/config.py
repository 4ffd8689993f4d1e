"""Settings read from the environment and an optional .env file in the working directory."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

DEFAULT_DATABASE_URL = "sqlite+aiosqlite:///followup.db"


def _read_dotenv(path: Path) -> dict[str, str]:
    """Read KEY=VALUE lines; blank lines and lines starting with # are skipped."""
    values: dict[str, str] = {}
    if not path.is_file():
        return values
    for raw_line in path.read_text(encoding="utf-8").splitlines():
        line = raw_line.strip()
        if not line or line.startswith("#") or "=" not in line:
            continue
        key, _, value = line.partition("=")
        values[key.strip()] = value.strip().strip('"').strip("'")
    return values


def normalize_database_url(url: str) -> str:
    """Pick the async driver for a plain postgresql:// or sqlite:// URL."""
    if url.startswith("postgresql://") or url.startswith("postgres://"):
        return "postgresql+asyncpg://" + url.split("://", 1)[1]
    if url.startswith("sqlite://") and not url.startswith("sqlite+"):
        return "sqlite+aiosqlite://" + url.split("://", 1)[1]
    return url


@dataclass(frozen=True)
class Settings:
    database_url: str
    telegram_token: str | None
    telegram_base_url: str | None
    team_name: str
    default_locale: str
    default_zone: str
    log_level: str
    # A digest delayed by downtime is still sent, marked late, for this many hours.
    digest_grace_hours: float = 12.0

    def __repr__(self) -> str:
        # Keep the token out of logs and tracebacks.
        token = "set" if self.telegram_token else "unset"
        return f"Settings(database_url={self.database_url!r}, telegram_token={token})"


def load_settings(environ: dict[str, str] | None = None, *, dotenv: Path | None = None) -> Settings:
    """Read settings; real environment variables win over the .env file."""
    values = _read_dotenv(dotenv if dotenv is not None else Path(".env"))
    values.update(environ if environ is not None else os.environ)
    return Settings(
        database_url=normalize_database_url(values.get("DATABASE_URL") or DEFAULT_DATABASE_URL),
        telegram_token=values.get("TELEGRAM_BOT_TOKEN") or None,
        telegram_base_url=values.get("TELEGRAM_BASE_URL") or None,
        team_name=values.get("FOLLOWUP_TEAM_NAME") or "Team",
        default_locale=values.get("FOLLOWUP_DEFAULT_LOCALE") or "zh_CN",
        default_zone=values.get("FOLLOWUP_DEFAULT_ZONE") or "Asia/Shanghai",
        log_level=values.get("LOG_LEVEL") or "INFO",
        digest_grace_hours=_positive_hours(values.get("FOLLOWUP_DIGEST_GRACE_HOURS"), default=12.0),
    )


def _positive_hours(text: str | None, *, default: float) -> float:
    if not text:
        return default
    try:
        hours = float(text)
    except ValueError:
        hours = -1.0
    if not 0 < hours <= 24 * 7:
        raise ValueError(f"FOLLOWUP_DIGEST_GRACE_HOURS must be a number of hours from 0 to 168, got {text!r}")
    return hours
