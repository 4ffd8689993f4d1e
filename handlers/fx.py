"""The /fx command, and how converted totals and their rates read in every managers' view.

Rates are shown with the date they were set, in the reader's own time zone: a rate set at
06:30 in Shanghai on 8 December reads "set 2026-12-08", not the UTC date before it.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from zoneinfo import ZoneInfo

from babel.numbers import list_currencies

from bot.errors import ParseError
from bot.i18n import N_, Translator
from bot.services import fx as fx_service
from bot.services.fx import TeamRates
from bot.transports.base import Reply
from handlers.context import HandlerContext, member_zone
from handlers.field_aliases import CURRENCY_CODE_ALIASES, CURRENCY_NAMES_ZH
from handlers.parsing_text import normalize_text, parse_decimal
from reminders.formatting import format_money
from reports.fx import FxRate, convert_totals

FX_BASE_WORDS = frozenset({"base", "基准", "本位币", "报告货币"})

CURRENCY_NOT_RECOGNISED = N_("Currency '%(value)s' is not recognised. Write a code such as USD, EUR or CNY.")
FX_RATE_NOT_A_NUMBER = N_(
    "The rate '%(value)s' is not a number. Write how many units of the reporting currency one unit is worth, e.g. /fx EUR 7.8."
)
FX_USAGE = N_("Write /fx alone to list the rates, /fx EUR 7.8 to set one, or /fx base CNY to set the reporting currency.")


def parse_currency(text: str) -> str:
    """Return the ISO 4217 code of 'usd', 'RMB' or 美元."""
    word = normalize_text(text).strip()
    folded = word.casefold()
    if folded in CURRENCY_CODE_ALIASES:
        return CURRENCY_CODE_ALIASES[folded]
    if word in CURRENCY_NAMES_ZH:
        return CURRENCY_NAMES_ZH[word]
    if len(word) == 3 and word.isascii() and word.upper() in list_currencies():
        return word.upper()
    raise ParseError(CURRENCY_NOT_RECOGNISED, value=word)


def parse_rate(text: str) -> Decimal:
    """Read a rate; a negative number is read too, so that the service says it is out of range."""
    negative = text.startswith("-")
    rate = parse_decimal(text[1:] if negative else text)
    if rate is None:
        raise ParseError(FX_RATE_NOT_A_NUMBER, value=text)
    return -rate if negative else rate


def format_rate(rate: FxRate, t: Translator, *, zone: str) -> str:
    """Render "1 EUR = 7.8 CNY (set 2026-12-08)", dated in the reader's zone `zone`."""
    return t.gettext(
        "1 %(currency)s = %(rate)s %(base)s (set %(date)s)",
        currency=rate.currency,
        rate=format(rate.rate.normalize(), "f"),
        base=rate.base,
        date=rate.set_at.astimezone(ZoneInfo(zone)).date().isoformat(),
    )


def format_conversion(values: Mapping[str, Decimal], rates: TeamRates, t: Translator, *, zone: str) -> str | None:
    """Say the total in the reporting currency, or which rates it lacks; None for a single-currency base total."""
    if not values or set(values) == {rates.base}:
        return None
    conversion = convert_totals(values, base=rates.base, rates=rates.usable)
    if conversion.total is None:
        return t.gettext(
            "not converted to %(base)s: no rate for %(currencies)s (set one with /fx %(example)s RATE)",
            base=rates.base,
            currencies=", ".join(conversion.missing),
            example=conversion.missing[0],
        )
    return t.gettext(
        "≈ %(total)s at %(rates)s",
        total=format_money(conversion.total, rates.base, t),
        rates=t.gettext("; ").join(format_rate(rate, t, zone=zone) for rate in conversion.used),
    )


def render_rates(rates: TeamRates, t: Translator, *, zone: str) -> str:
    lines = [t.gettext("Reporting currency: %(base)s.", base=rates.base)]
    if rates.usable:
        lines.append(t.gettext("Rates:"))
        lines.extend(f"• {format_rate(rate, t, zone=zone)}" for rate in rates.usable.values())
    else:
        lines.append(t.gettext("No rates set yet. Admins and managers set them, e.g. /fx EUR 7.8."))
    unused = [rate for rate in rates.stored if rate.base != rates.base]
    if unused:
        lines.append(t.gettext("Set against another reporting currency, so not used:"))
        lines.extend(f"• {format_rate(rate, t, zone=zone)}" for rate in unused)
    return "\n".join(lines)


async def cmd_fx(context: HandlerContext, args: str) -> list[Reply]:
    """List the team's exchange rates, set one, or set the reporting currency."""
    member = context.require_member()
    t = context.t
    zone = member_zone(context)
    words = normalize_text(args).split()
    if not words:
        rates = await fx_service.team_rates(context.session, team=context.team)
        return [Reply(text=render_rates(rates, t, zone=zone))]
    if len(words) != 2:
        raise ParseError(FX_USAGE)
    if words[0].casefold() in FX_BASE_WORDS:
        currency = parse_currency(words[1])
        await fx_service.set_reporting_currency(context.session, actor=member, team=context.team, currency=currency)
        rates = await fx_service.team_rates(context.session, team=context.team)
        text = t.gettext("Reporting currency set to %(base)s.", base=currency) + "\n" + render_rates(rates, t, zone=zone)
        return [Reply(text=text)]
    currency = parse_currency(words[0])
    rate = parse_rate(words[1])
    saved = await fx_service.set_rate(
        context.session, actor=member, team=context.team, currency=currency, rate=rate, now=context.now
    )
    return [Reply(text=t.gettext("Rate saved: %(rate)s.", rate=format_rate(saved, t, zone=zone)))]
