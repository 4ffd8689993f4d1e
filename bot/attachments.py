"""The size limit on files that users send, shared by the transports and the sheet reader.

Transports check a file's declared size before they download it, and the sheet reader
checks the bytes it is given, so a file over the limit is never parsed.
"""

from __future__ import annotations

from bot.i18n import N_

# 10 MiB fits a customer sheet of well over 50,000 rows, as .xlsx or .csv. Telegram's
# Bot API lets bots download files of up to 20 MB, so the limit is ours, not Telegram's.
MAX_ATTACHMENT_BYTES = 10 * 1024 * 1024

ATTACHMENT_TOO_BIG = N_("The file %(name)s is %(size)s MB. Send a file of at most %(limit)s MB.")


def megabytes(size: int) -> str:
    """Format a byte count as megabytes with one decimal, e.g. 10.5."""
    return f"{size / (1024 * 1024):.1f}"


def too_big_params(*, name: str, size: int) -> dict[str, object]:
    """Return the parameters of ATTACHMENT_TOO_BIG for a file of `size` bytes."""
    return {"name": name, "size": megabytes(size), "limit": MAX_ATTACHMENT_BYTES // (1024 * 1024)}

FILE_NOT_FOUND = N_("There is no file %(path)s.")
FILE_NOT_READABLE = N_("%(path)s cannot be read. Check that it is a file and that you may open it.")
