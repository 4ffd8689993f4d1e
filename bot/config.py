"""Settings read from the environment and an optional .env file in the working directory."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

DEFAULT_DATABASE_URL = "sqlite+aiosqlite:///followup.db"
DEFAULT_HTTP_HOST = "127.0.0.1"
DEFAULT_HTTP_PORT = 8080
# Bolt's default port for the Slack HTTP Events API.
DEFAULT_SLACK_HTTP_PORT = 3000


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
    # The calendar feed server listens here; a port of None turns it off.
    http_host: str = DEFAULT_HTTP_HOST
    http_port: int | None = DEFAULT_HTTP_PORT
    # The base URL that reps' calendar apps reach, when a proxy or another name fronts the server.
    public_url: str | None = None
    # Group chats (Telegram chat ids) and Slack workspaces the bot answers in; None allows all.
    # Private chats with members are never blocked by the chat list.
    allowed_chats: frozenset[str] | None = None
    allowed_workspaces: frozenset[str] | None = None
    # Slack: Socket Mode with the bot and app tokens, or the HTTP Events API with the bot
    # token and signing secret on slack_http_host:slack_http_port.
    slack_bot_token: str | None = None
    slack_app_token: str | None = None
    slack_signing_secret: str | None = None
    slack_base_url: str | None = None
    slack_http_host: str = DEFAULT_HTTP_HOST
    slack_http_port: int = DEFAULT_SLACK_HTTP_PORT

    @property
    def slack_mode(self) -> str | None:
        """"socket", "http", or None when Slack is off (no SLACK_BOT_TOKEN)."""
        if not self.slack_bot_token:
            return None
        return "socket" if self.slack_app_token else "http"

    @property
    def feed_base_url(self) -> str | None:
        """The base of calendar feed URLs: FOLLOWUP_PUBLIC_URL, else http://HOST:PORT, else None.

        With the server off but a public URL set, another process of the team serves the feeds.
        """
        if self.public_url:
            return self.public_url
        if self.http_port is None:
            return None
        host = f"[{self.http_host}]" if ":" in self.http_host else self.http_host
        return f"http://{host}:{self.http_port}"

    def __repr__(self) -> str:
        # Keep the token out of logs and tracebacks.
        token = "set" if self.telegram_token else "unset"
        slack = self.slack_mode or "off"
        return f"Settings(database_url={self.database_url!r}, telegram_token={token}, slack={slack})"


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
        http_host=values.get("FOLLOWUP_HTTP_HOST") or DEFAULT_HTTP_HOST,
        http_port=_http_port(values.get("FOLLOWUP_HTTP_PORT", str(DEFAULT_HTTP_PORT))),
        public_url=_public_url(values.get("FOLLOWUP_PUBLIC_URL")),
        allowed_chats=_id_list(values.get("FOLLOWUP_ALLOWED_CHATS")),
        allowed_workspaces=_id_list(values.get("FOLLOWUP_ALLOWED_WORKSPACES")),
        **_slack_settings(values),
    )


def _slack_settings(values: dict[str, str]) -> dict[str, object]:
    bot_token = values.get("SLACK_BOT_TOKEN") or None
    app_token = values.get("SLACK_APP_TOKEN") or None
    signing_secret = values.get("SLACK_SIGNING_SECRET") or None
    if bot_token and not app_token and not signing_secret:
        raise ValueError(
            "SLACK_BOT_TOKEN is set, but neither SLACK_APP_TOKEN (Socket Mode) nor "
            "SLACK_SIGNING_SECRET (HTTP Events API) is; set one of them"
        )
    port_text = values.get("SLACK_HTTP_PORT") or str(DEFAULT_SLACK_HTTP_PORT)
    try:
        port = int(port_text)
    except ValueError:
        port = -1
    if not 1 <= port <= 65535:
        raise ValueError(f"SLACK_HTTP_PORT must be a port number from 1 to 65535, got {port_text!r}")
    return {
        "slack_bot_token": bot_token,
        "slack_app_token": app_token,
        "slack_signing_secret": signing_secret,
        "slack_base_url": values.get("SLACK_BASE_URL") or None,
        "slack_http_host": values.get("SLACK_HTTP_HOST") or DEFAULT_HTTP_HOST,
        "slack_http_port": port,
    }


def _id_list(text: str | None) -> frozenset[str] | None:
    """Read a comma- or space-separated list of ids; an empty or missing value allows all."""
    if not text or not text.strip():
        return None
    return frozenset(text.replace(",", " ").split())


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


def _http_port(text: str) -> int | None:
    """Read FOLLOWUP_HTTP_PORT; 0 or an empty value turns the calendar feed server off."""
    if not text.strip():
        return None
    try:
        port = int(text)
    except ValueError:
        port = -1
    if not 0 <= port <= 65535:
        raise ValueError(f"FOLLOWUP_HTTP_PORT must be a port number from 1 to 65535, or 0 to turn the server off, got {text!r}")
    return port or None


def _public_url(text: str | None) -> str | None:
    if not text or not text.strip():
        return None
    url = text.strip().rstrip("/")
    if not url.startswith(("http://", "https://")):
        raise ValueError(f"FOLLOWUP_PUBLIC_URL must start with http:// or https://, got {text!r}")
    return url
