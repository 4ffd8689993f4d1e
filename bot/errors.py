"""Domain errors that carry a translatable message for the user."""

from __future__ import annotations

from typing import Any


class UserError(Exception):
    """An error the user caused and can fix; the message is shown in the user's language.

    `message` is an untranslated gettext message id marked with `N_()`; `params` fill its
    `%(name)s` placeholders after translation.
    """

    def __init__(self, message: str, **params: Any) -> None:
        super().__init__(message % params if params else message)
        self.message = message
        self.params = params


class ParseError(UserError):
    """A value in the user's message could not be read."""


class NotFound(UserError):
    """The named record does not exist or is not visible to the member."""


class AccessDenied(UserError):
    """The member may not do this."""


class CountryCode(str):
    """An error parameter holding an ISO country code, e.g. "IN"; replies name the country in the reader's language."""


class MarketNames(tuple[str, ...]):
    """An error parameter holding market names as stored; replies show default markets in the reader's language."""
