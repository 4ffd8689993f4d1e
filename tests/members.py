"""Bring a chat into the team with a role, the way a real member would join: by invitation."""

from __future__ import annotations

import re

from tests.chat import Chat

# An invitation code as /invite shows it, e.g. K7QM-4XPD-2R9A.
INVITATION_CODE = re.compile(r"\b[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}\b")


def code_in(reply: str) -> str:
    """Return the invitation code in an /invite reply; fail the test when there is none."""
    match = INVITATION_CODE.search(reply)
    assert match, f"no invitation code in {reply!r}"
    return match.group(0)


async def invite(admin: Chat, role: str = "rep") -> str:
    """Have the admin create an invitation for `role` and return its code."""
    return code_in(await admin.say(f"/invite {role}"))


async def enroll(chat: Chat, *, admin: Chat, role: str = "rep", args: str = "") -> str:
    """Join the team as `role` ("rep" or "manager") and return the welcome text.

    `admin` is a chat of the team's admin, who hands out the invitation; `args` are further
    /start arguments such as a language or a time zone.
    """
    code = await invite(admin, role)
    return await chat.say(f"/start {code} {args}".strip())
