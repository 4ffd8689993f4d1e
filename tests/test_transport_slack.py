"""The Slack transport's parts: rendering to Block Kit, reading Slack's text, settings and wiring."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.__main__ import build_transports
from bot.clock import ManualClock
from bot.config import Settings, load_settings
from bot.store import Store
from bot.transports.base import Button, Reply
from bot.transports.slack import DEFAULT_HTTP_PATH, SLASH_COMMAND, SlackTransport, choose_mode, slash_text
from bot.transports.slack_render import (
    ACTIONS_ELEMENT_LIMIT,
    BUTTON_TEXT_LIMIT,
    MESSAGE_BLOCK_LIMIT,
    SECTION_TEXT_LIMIT,
    escape_mrkdwn,
    plain_text,
    render_reply,
    split_text,
)
from handlers.routes import build_router

NO_DOTENV = Path("/nonexistent/.env")
COMMANDS = {"add", "today", "done", "help", "start", "pick"}


# ---------------------------------------------------------------------------- rendering


def test_escape_mrkdwn_escapes_three_characters() -> None:
    assert escape_mrkdwn("A&B <Trading> *Ltd* _x_") == "A&amp;B &lt;Trading&gt; *Ltd* _x_"


def test_render_reply_plain_text_sections_keep_button_data() -> None:
    reply = Reply(text="Done: A&B <Co>", buttons=((Button("✅ done", "/done #12"), Button("💤 1d", "/snooze #12 1d")),))
    [message] = render_reply(reply)
    section, actions = message.blocks
    assert section["text"] == {"type": "plain_text", "text": "Done: A&B <Co>", "emoji": False}
    assert [element["value"] for element in actions["elements"]] == ["/done #12", "/snooze #12 1d"]
    assert len({element["action_id"] for element in actions["elements"]}) == 2
    assert message.text == "Done: A&amp;B &lt;Co&gt;"


def test_render_reply_formatting_characters_not_mrkdwn() -> None:
    typed = "*Sharma* _Print_ ~old~ `code` a_b@x.in"
    [message] = render_reply(Reply(text=typed))
    [section] = message.blocks
    assert section["text"]["type"] == "plain_text"
    assert section["text"]["text"] == typed


def test_split_text_cuts_long_line() -> None:
    text = "&" * 7000
    pieces = split_text(text)
    assert [len(piece) for piece in pieces] == [SECTION_TEXT_LIMIT, SECTION_TEXT_LIMIT, 1000]
    assert "".join(pieces) == text


def test_split_text_prefers_line_breaks() -> None:
    lines = [f"line {number:04d} " + "y" * 80 + "\n" for number in range(100)]
    pieces = split_text("".join(lines))
    assert len(pieces) == 4
    assert all(piece.endswith("\n") for piece in pieces[:-1])


def test_render_reply_splits_over_50_blocks() -> None:
    buttons = tuple((Button(f"{number}", f"/pick ab12 {number}"),) for number in range(70))
    messages = render_reply(Reply(text="Which one?", buttons=buttons))
    assert [len(message.blocks) for message in messages] == [MESSAGE_BLOCK_LIMIT, 21]


def test_render_reply_wide_row_split_into_actions_blocks() -> None:
    row = tuple(Button(f"{number}", f"/pick ab12 {number}") for number in range(30))
    [message] = render_reply(Reply(text="Pick", buttons=(row,)))
    assert [len(block["elements"]) for block in message.blocks[1:]] == [ACTIONS_ELEMENT_LIMIT, 5]


def test_render_reply_long_label_shortened() -> None:
    [message] = render_reply(Reply(text="x", buttons=((Button("L" * 100, "/done #1"),),)))
    label = message.blocks[1]["elements"][0]["text"]["text"]
    assert len(label) == BUTTON_TEXT_LIMIT


def test_render_reply_empty_rejected() -> None:
    with pytest.raises(ValueError, match="no text and no buttons"):
        render_reply(Reply(text="  \n"))


# ---------------------------------------------------------------------------- reading Slack text


@pytest.mark.parametrize(
    ("sent", "typed"),
    [
        ("邮箱: <mailto:a@b.in|a@b.in>", "邮箱: a@b.in"),
        ("site <https://b.in>", "site https://b.in"),
        ("A&amp;B &lt;Co&gt;", "A&B <Co>"),
        ("&amp;lt;", "&lt;"),
        ("ask <@U123|wei> or <@U456>", "ask @wei or @U456"),
        ("in <#C123|general>", "in #general"),
        ("<!here> see <https://x.com|y>", "@here see y (https://x.com)"),
        ("see <https://x.com|x.com>", "see x.com"),
        ("<!subteam^S1|@sales>", "@sales"),
    ],
)
def test_plain_text_undoes_slack_markup(sent: str, typed: str) -> None:
    assert plain_text(sent) == typed


@pytest.mark.parametrize(
    ("text", "routed"),
    [
        ("add 名称: Acme", "/add 名称: Acme"),
        ("TODAY", "/TODAY"),
        ("/today", "/today"),
        ("今天", "今天"),
        ("2", "2"),
        ("", "/help"),
        ("Kolkata", "Kolkata"),
    ],
)
def test_slash_text_routes_command_words(text: str, routed: str) -> None:
    assert slash_text(text, COMMANDS) == routed


# ---------------------------------------------------------------------------- settings and wiring


def test_choose_mode_socket_with_app_token() -> None:
    assert choose_mode(bot_token="xoxb-1", app_token="xapp-1", signing_secret="s") == "socket"
    assert choose_mode(bot_token="xoxb-1", app_token=None, signing_secret="s") == "http"
    assert choose_mode(bot_token=None, app_token="xapp-1", signing_secret="s") is None


def test_bot_token_alone_rejected() -> None:
    with pytest.raises(ValueError, match="SLACK_APP_TOKEN"):
        choose_mode(bot_token="xoxb-1", app_token=None, signing_secret=None)
    with pytest.raises(ValueError, match="SLACK_SIGNING_SECRET"):
        load_settings({"SLACK_BOT_TOKEN": "xoxb-1"}, dotenv=NO_DOTENV)


def test_settings_read_slack_http_address() -> None:
    settings = load_settings(
        {"SLACK_BOT_TOKEN": "xoxb-1", "SLACK_SIGNING_SECRET": "s", "SLACK_HTTP_HOST": "0.0.0.0", "SLACK_HTTP_PORT": "3100"},
        dotenv=NO_DOTENV,
    )
    assert settings.slack_mode == "http"
    assert (settings.slack_http_host, settings.slack_http_port) == ("0.0.0.0", 3100)
    assert "xoxb-1" not in repr(settings)


def test_settings_bad_slack_port_rejected() -> None:
    with pytest.raises(ValueError, match="SLACK_HTTP_PORT"):
        load_settings({"SLACK_BOT_TOKEN": "xoxb-1", "SLACK_SIGNING_SECRET": "s", "SLACK_HTTP_PORT": "http"}, dotenv=NO_DOTENV)


def _with_tokens(settings: Settings, **tokens: str | None) -> Settings:
    from dataclasses import replace

    return replace(settings, **tokens)


async def test_socket_mode_wired_from_app_token(store: Store, clock: ManualClock, settings: Settings) -> None:
    router = build_router(store=store, clock=clock, settings=settings)
    configured = _with_tokens(settings, slack_bot_token="xoxb-1", slack_app_token="xapp-1", slack_signing_secret=None)
    transports = build_transports(configured, store=store, router=router)
    slack = transports["slack"]
    assert isinstance(slack, SlackTransport)
    assert slack.mode == "socket"
    assert slack.socket_handler is not None
    assert slack.socket_handler.client.app_token == "xapp-1"
    assert list(transports) == ["slack"]


async def test_telegram_and_slack_run_together(store: Store, clock: ManualClock, settings: Settings) -> None:
    router = build_router(store=store, clock=clock, settings=settings)
    configured = _with_tokens(
        settings, telegram_token="123:abc", slack_bot_token="xoxb-1", slack_app_token=None, slack_signing_secret="s"
    )
    transports = build_transports(configured, store=store, router=router)
    assert sorted(transports) == ["slack", "telegram"]
    slack = transports["slack"]
    assert isinstance(slack, SlackTransport)
    assert slack.mode == "http"
    assert slack.socket_handler is None


# ---------------------------------------------------------------------------- app manifest

MANIFEST = Path(__file__).resolve().parent.parent / "slack" / "manifest.yml"


def test_manifest_declares_command_scopes_and_events() -> None:
    manifest = MANIFEST.read_text(encoding="utf-8")
    assert f"- command: {SLASH_COMMAND}\n" in manifest
    for scope in ("chat:write", "commands", "im:history", "im:read", "im:write", "users:read", "files:read", "files:write"):
        assert f"      - {scope}\n" in manifest, scope
    assert "      - message.im\n" in manifest
    assert "  interactivity:\n    is_enabled: true\n" in manifest
    assert "  socket_mode_enabled: true\n" in manifest
    assert manifest.count(f"https://bot.example.com{DEFAULT_HTTP_PATH}") == 3


def test_manifest_scopes_exactly_those_used() -> None:
    manifest = MANIFEST.read_text(encoding="utf-8")
    bot_scopes = manifest.split("    bot:\n", 1)[1].split("settings:", 1)[0]
    scopes = {line.strip()[2:] for line in bot_scopes.splitlines() if line.strip().startswith("- ")}
    # chat:write.public: team digests in public channels the bot has not joined;
    # channels:read and groups:read: conversations.info in SlackTransport.bot_can_post.
    assert scopes == {
        "chat:write", "chat:write.public", "commands", "im:history", "im:read", "im:write",
        "users:read", "files:read", "files:write", "channels:read", "groups:read",
    }
