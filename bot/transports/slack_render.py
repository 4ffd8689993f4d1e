"""Slack message text both ways: replies as literal text in Block Kit, user text back to plain.

A `Reply` is plain text, and much of it is what members typed: customer names, notes,
e-mail addresses. Slack's mrkdwn has escapes for `&`, `<` and `>` only, so `*Ltd*`,
`_x_`, `~a~` or a backquote in a customer name would show as formatting. The text of
each section block is therefore a `plain_text` object, which Slack never formats, so the
reply shows and copies exactly as stored. Only the message's fallback `text` (used in
notifications) is mrkdwn, escaped for `&`, `<` and `>`. Buttons become `actions` blocks
whose button `value` is the command text the button sends, e.g. "/done #12".

Limits, from Slack's Block Kit reference (https://api.slack.com/reference/block-kit):
a section's text holds at most 3,000 characters, a message at most 50 blocks, an
actions block at most 25 elements, a button's text 75 characters and its value 2,000
characters. A reply that does not fit one message is split into several.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from bot.transports.base import Button, Reply

SECTION_TEXT_LIMIT = 3000
MESSAGE_BLOCK_LIMIT = 50
ACTIONS_ELEMENT_LIMIT = 25
BUTTON_TEXT_LIMIT = 75
BUTTON_VALUE_LIMIT = 2000
# The notification and screen-reader text of a message; the blocks carry the whole reply.
FALLBACK_TEXT_LIMIT = 300
# Every button's action_id starts with this, so that one listener receives them all.
ACTION_PREFIX = "followup:"

_ESCAPES = {"&": "&amp;", "<": "&lt;", ">": "&gt;"}
# "<mailto:a@b.in|a@b.in>", "<https://x.in>", "<@U123|wei>", "<#C123|general>", "<!here>":
# Slack's markup for the links and mentions it found in what the user typed.
_LINK = re.compile(r"<(?P<target>[^<>|]*)(?:\|(?P<label>[^<>]*))?>")
_LINK_SCHEME = re.compile(r"^(?:https?://|mailto:|tel:)")


@dataclass(frozen=True)
class SlackMessage:
    """One chat.postMessage: a short fallback `text` and the Block Kit `blocks`."""

    text: str
    blocks: list[dict[str, Any]] = field(default_factory=list)


def escape_mrkdwn(text: str) -> str:
    """Escape the three characters that Slack's mrkdwn reads as markup."""
    return "".join(_ESCAPES.get(char, char) for char in text)


def plain_text(text: str) -> str:
    """Turn message text as Slack sends it back into what the user typed.

    Slack sends mentions, channels and links it found as "<…>" markup:

    - "<@U123|wei>" becomes "@wei", "<@U123>" "@U123", "<#C123|general>" "#general",
      "<!here>" "@here";
    - a link keeps its address: "<https://x.com|y>" becomes "y (https://x.com)", while a
      link whose label is its own address ("<mailto:a@b.in|a@b.in>", "<https://x.in|x.in>")
      becomes the label alone, and a bare "<https://x.in>" the address without "mailto:";
    - the entities &amp; &lt; &gt; become their characters.
    """
    unwrapped = _LINK.sub(_unwrap_markup, text)
    return unwrapped.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")


def _unwrap_markup(match: re.Match[str]) -> str:
    target = match.group("target")
    label = match.group("label")
    if target.startswith(("@", "#")):
        return target[0] + label.lstrip(target[0]) if label else target
    if target.startswith("!"):
        # "<!here>", "<!channel>", "<!subteam^S123|@sales>": special mentions.
        return label if label else "@" + target[1:].split("^")[0]
    address = target.removeprefix("mailto:")
    if not label:
        return address
    if label in (target, address, _LINK_SCHEME.sub("", target)):
        return label
    return f"{label} ({target})"


def split_text(text: str, limit: int = SECTION_TEXT_LIMIT) -> list[str]:
    """Split `text` into pieces of at most `limit` characters, at line boundaries where possible.

    A line longer than `limit` is cut between characters.
    """
    pieces: list[str] = []
    current = ""
    for line in text.splitlines(keepends=True):
        if len(current) + len(line) <= limit:
            current += line
            continue
        if current:
            pieces.append(current)
            current = ""
        while len(line) > limit:
            pieces.append(line[:limit])
            line = line[limit:]
        current = line
    if current:
        pieces.append(current)
    # Slack rejects a section whose text is empty or only white space.
    return [piece for piece in pieces if piece.strip()]


def _button(button: Button, action_number: int) -> dict[str, Any]:
    if not button.label.strip():
        raise ValueError(f"Button label is empty: {button!r}")
    if not 1 <= len(button.data) <= BUTTON_VALUE_LIMIT:
        raise ValueError(f"Button {button.label!r} value must be 1-{BUTTON_VALUE_LIMIT} characters: {button.data!r}")
    label = button.label if len(button.label) <= BUTTON_TEXT_LIMIT else button.label[: BUTTON_TEXT_LIMIT - 1] + "…"
    return {
        "type": "button",
        # plain_text is never read as markup, so the label needs no escaping.
        "text": {"type": "plain_text", "text": label, "emoji": True},
        "value": button.data,
        "action_id": f"{ACTION_PREFIX}{action_number}",
    }


def _blocks(reply: Reply) -> list[dict[str, Any]]:
    blocks: list[dict[str, Any]] = [
        {"type": "section", "text": {"type": "plain_text", "text": piece, "emoji": False}}
        for piece in split_text(reply.text)
    ]
    action_number = 0
    for row in reply.buttons:
        for start in range(0, len(row), ACTIONS_ELEMENT_LIMIT):
            elements = []
            for button in row[start : start + ACTIONS_ELEMENT_LIMIT]:
                elements.append(_button(button, action_number))
                action_number += 1
            blocks.append({"type": "actions", "elements": elements})
    return blocks


def _fallback(blocks: list[dict[str, Any]]) -> str:
    """Return the notification text: the first section's start, escaped for mrkdwn."""
    for block in blocks:
        if block["type"] == "section":
            text: str = block["text"]["text"]
            if len(text) <= FALLBACK_TEXT_LIMIT:
                return escape_mrkdwn(text)
            return escape_mrkdwn(text[:FALLBACK_TEXT_LIMIT]) + "…"
    return "…"


def render_reply(reply: Reply) -> list[SlackMessage]:
    """Render a Reply as Slack messages of at most 50 blocks each, buttons after the text.

    The reply's file is not rendered here; the transport uploads it.

    Raises:
        ValueError: if the reply has neither text nor buttons, or a button is invalid.
    """
    blocks = _blocks(reply)
    if not blocks:
        raise ValueError(f"Reply has no text and no buttons; Slack rejects an empty message: {reply!r}")
    messages = []
    for start in range(0, len(blocks), MESSAGE_BLOCK_LIMIT):
        chunk = blocks[start : start + MESSAGE_BLOCK_LIMIT]
        messages.append(SlackMessage(text=_fallback(chunk), blocks=chunk))
    return messages
