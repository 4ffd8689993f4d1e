"""Customer commands: /add, /card, /find, /log."""

from __future__ import annotations

from datetime import date

import holidays

from bot.errors import ParseError, UserError
from bot.i18n import Translator
from bot.i18n import N_
from bot.models import Customer, Member
from bot.services import customers as customer_service
from bot.services.customers import AmbiguousName, ContactDraft, CustomerDraft
from bot.transports.base import Reply
from handlers.audit import audit_card_read, audit_listing
from handlers.context import ChoiceRequired, HandlerContext, member_today, member_zone, next_followup_date
from handlers.labels import INTERACTION_LABELS, SOURCE_LABELS
from handlers.limits import check_lengths
from handlers.render import describe_deal
from handlers.parsing import (
    DatePurpose,
    MonthDay,
    country_name,
    parse_date,
    parse_email,
    parse_fields,
    parse_interaction,
    parse_phone,
    parse_source,
    parse_tier,
    resolve_country,
)
from reminders.zones import country_zones, default_zone, resolve_zone, zone_label
from reminders.calendar import local_date, normalize_subdivision

ADD_FIELDS = frozenset(
    {
        "name", "country", "state", "tier", "contact", "role", "email", "phone", "birthday", "source", "note",
        "tags", "zone", "city", "language",
    }
)  # fmt: skip
SUBDIVISION_LIMIT = int(Customer.subdivision.property.columns[0].type.length)
STATE_NOT_RECOGNISED = N_("State/province '%(value)s' is not recognised for %(country)s. Write one of: %(codes)s.")
NO_STATES = N_("The holiday calendar of %(country)s has no states or provinces. Leave out 州/省.")
DEFAULT_TIER = "B"
# /find lists this many matches; a longer list would not fit a phone screen.
MAX_FOUND_SHOWN = 30


def ambiguous_choice(error: AmbiguousName, *, command: str, rest: str = "") -> ChoiceRequired:
    """Turn an ambiguous name into a numbered question whose answer re-runs the command."""
    labels = [f"{customer.name} ({customer.country}, {customer.tier})" for customer in error.candidates]
    values = [f"#{customer.id} {error.rests.get(customer.id, rest)}".rstrip() for customer in error.candidates]
    return ChoiceRequired(
        error.message,
        before=f"/{command} ",
        labels=labels,
        values=values,
        more=error.total - len(error.candidates),
        **error.params,
    )


async def find_customer(
    context: HandlerContext, name: str, *, command: str, rest: str = "", team_wide: bool = False
) -> Customer:
    """Resolve a customer name for a command; several matches become a numbered question.

    `rest` is what follows the name, so that the member's choice re-runs the whole command.
    `team_wide` lets a manager pick any customer of the team, for commands that only read.
    """
    try:
        return await customer_service.resolve_customer(
            context.session, actor=context.require_member(), query=name, team_wide=team_wide
        )
    except AmbiguousName as error:
        raise ambiguous_choice(error, command=command, rest=rest) from error


async def find_customer_prefix(context: HandlerContext, text: str, *, command: str) -> tuple[Customer, str]:
    """Split 'NAME rest' for a command; several matches become a numbered question."""
    try:
        return await customer_service.resolve_customer_prefix(context.session, actor=context.require_member(), text=text)
    except AmbiguousName as error:
        raise ambiguous_choice(error, command=command) from error


def _birthday(text: str, *, today: date) -> tuple[int | None, int, int]:
    parsed = parse_date(text, today=today, purpose=DatePurpose.BIRTHDAY)
    if isinstance(parsed, MonthDay):
        return (None, parsed.month, parsed.day)
    return (parsed.year, parsed.month, parsed.day)


def parse_state(text: str, *, country: str, locale: str) -> str:
    """Return the holidays package's code for a state or province of `country`: MA, Massachusetts → MA.

    Raises:
        ParseError: for a name the package does not list for the country, or one whose code
            does not fit Customer.subdivision (city calendars such as
            "São Paulo Capital"); the message lists the accepted codes.
    """
    try:
        code = normalize_subdivision(country, text)
    except ParseError:
        code = None
    if code is not None and len(code) <= SUBDIVISION_LIMIT:
        return code
    accepted = sorted(
        code for code in holidays.list_supported_countries().get(country, ()) if len(code) <= SUBDIVISION_LIMIT
    )
    if not accepted:
        raise ParseError(NO_STATES, country=country_name(country, locale))
    raise ParseError(STATE_NOT_RECOGNISED, value=text, country=country_name(country, locale), codes=", ".join(accepted))


def place_label(customer: Customer, *, t: Translator) -> str:
    """Name the customer's country, with the state or province when one is stored: United States, MA."""
    country = country_name(customer.country, t.locale)
    if not customer.subdivision:
        return country
    return t.gettext("%(country)s, %(subdivision)s", country=country, subdivision=customer.subdivision)


def _zone_for(fields: dict[str, str], *, country: str, args: str, locale: str) -> str:
    zone = default_zone(country)
    if fields.get("zone"):
        return resolve_zone(fields["zone"], country=country)
    if fields.get("city"):
        try:
            return resolve_zone(fields["city"], country=country)
        except ParseError:
            if zone is None:
                raise
            # A city without a zone of its own (Mumbai, Hamburg) lies in the country's main zone.
            return zone
    if zone is not None:
        return zone
    zones = country_zones(country)
    raise ChoiceRequired(
        N_("%(country)s spans several time zones. Which one is the buyer in? Answer with a number or a city."),
        before=f"/add {args} 时区: ",
        labels=[f"{zone_label(zone, locale)} ({zone})" for zone in zones],
        values=zones,
        free_text=True,
        country=country_name(country, locale),
    )


def build_customer_draft(fields: dict[str, str], *, args: str, today: date, locale: str) -> CustomerDraft:
    """Check every field of an /add message; raise on the first bad one, before any write."""
    name = fields.get("name", "").strip()
    if not name:
        raise UserError(N_("The company name is missing. Write e.g. /add 名称: Sharma Print House 国家: 印度 等级: A"))
    check_lengths(fields)
    if "country" not in fields:
        raise UserError(N_("The country is missing. Write e.g. 国家: 印度 / country: India / IN."))
    country = resolve_country(fields["country"])
    subdivision = parse_state(fields["state"], country=country, locale=locale) if "state" in fields else None
    tier = parse_tier(fields["tier"]) if "tier" in fields else DEFAULT_TIER
    source, source_detail = parse_source(fields["source"]) if "source" in fields else ("other", None)
    email = parse_email(fields["email"]) if "email" in fields else None
    phone = parse_phone(fields["phone"], country=country) if "phone" in fields else None
    birthday = _birthday(fields["birthday"], today=today) if "birthday" in fields else None
    contacts: tuple[ContactDraft, ...] = ()
    if any(key in fields for key in ("contact", "email", "phone", "birthday", "role")):
        contacts = (
            ContactDraft(
                name=fields.get("contact", "").strip(),
                role=fields.get("role"),
                email=email,
                phone=phone,
                birthday=birthday,
                language=fields.get("language"),
            ),
        )
    tags = tuple(tag.strip() for tag in fields.get("tags", "").replace("，", ",").split(",") if tag.strip())
    return CustomerDraft(
        name=name,
        country=country,
        subdivision=subdivision,
        zone=_zone_for(fields, country=country, args=args, locale=locale),
        tier=tier,
        source=source,
        source_detail=source_detail,
        note=fields.get("note"),
        tags=tags,
        contacts=contacts,
    )


async def cmd_add(context: HandlerContext, args: str) -> list[Reply]:
    """Register a customer from key: value fields."""
    member = context.require_member()
    parsed = parse_fields(args, allowed=ADD_FIELDS, leading_field="name")
    fields = dict(parsed.fields)
    if parsed.leading:
        if "name" in fields:
            raise UserError(
                N_("Text '%(text)s' before the first field is not understood. Start with a field, e.g. 名称: …"),
                text=parsed.leading[:50],
            )
        fields["name"] = parsed.leading
    draft = build_customer_draft(fields, args=args, today=member_today(context), locale=context.t.locale)
    customer = await customer_service.add_customer(context.session, actor=member, draft=draft, now=context.now)
    t = context.t
    next_due = next_followup_date(context, customer)
    lines = [
        t.gettext(
            "Registered %(name)s (#%(id)s): %(country)s, %(zone)s, tier %(tier)s.",
            name=customer.name,
            id=customer.id,
            country=place_label(customer, t=t),
            zone=customer.zone,
            tier=customer.tier,
        ),
        t.gettext("Next follow-up: %(date)s.", date=next_due.isoformat()),
    ]
    if "tier" not in fields:
        lines.append(t.gettext("Tier B was assumed; change it with 等级: A/B/C."))
    return [Reply(text="\n".join(lines))]


def render_card(customer: Customer, *, context: HandlerContext, interactions: list) -> str:  # type: ignore[type-arg]
    t = context.t
    next_due = next_followup_date(context, customer)
    lines = [
        f"#{customer.id} {customer.name}",
        t.gettext(
            "Country: %(country)s (%(zone)s). Tier: %(tier)s. Source: %(source)s.",
            country=place_label(customer, t=t),
            zone=customer.zone,
            tier=customer.tier,
            source=t.gettext(SOURCE_LABELS.get(customer.source, SOURCE_LABELS["other"]))
            + (f" ({customer.source_detail})" if customer.source_detail else ""),
        ),
        t.gettext("Owner: %(owner)s.", owner=customer.owner.display_name),
        t.gettext(
            "Last contact: %(last)s. Next follow-up: %(next)s.",
            last=local_date(customer.last_contact_at, member_zone(context)).isoformat(),
            next=next_due.isoformat(),
        ),
    ]
    for contact in customer.contacts:
        details = [value for value in (contact.role, contact.email, contact.phone) if value]
        if contact.birth_month:
            year = f"{contact.birth_year}-" if contact.birth_year else ""
            birthday = f"{year}{contact.birth_month:02d}-{contact.birth_day:02d}"
            details.append(t.gettext("birthday %(date)s", date=birthday))
        name = contact.name or t.gettext("(no name)")
        lines.append(t.gettext("Contact: %(name)s", name=name) + (" — " + ", ".join(details) if details else ""))
    for deal in customer.deals:
        lines.append(t.gettext("Deal: %(deal)s", deal=describe_deal(deal, t=t)))
    if customer.note:
        lines.append(t.gettext("Note: %(note)s", note=customer.note))
    for interaction in interactions:
        day = local_date(interaction.at, member_zone(context)).isoformat()
        label = t.gettext(INTERACTION_LABELS.get(interaction.kind, INTERACTION_LABELS["note"]))
        lines.append(f"{day} {label}" + (t.gettext(": %(text)s", text=interaction.text) if interaction.text else ""))
    return "\n".join(lines)


async def cmd_card(context: HandlerContext, args: str) -> list[Reply]:
    """Show a customer's card."""
    customer = await find_customer(context, args, command="card", team_wide=True)
    interactions = await customer_service.recent_interactions(context.session, customer=customer)
    await audit_card_read(context, customer)
    return [Reply(text=render_card(customer, context=context, interactions=interactions))]


async def cmd_find(context: HandlerContext, args: str) -> list[Reply]:
    """Search the member's own customers by name, contact or email."""
    member = context.require_member()
    if not args.strip():
        raise UserError(N_("What should I search for? Write e.g. /find Sharma."))
    found = await customer_service.search_customers(context.session, actor=member, text=args, team_wide=True)
    t = context.t
    await audit_listing(context, found[:MAX_FOUND_SHOWN], command="find")
    if not found:
        return [Reply(text=t.gettext("No customer of yours matches '%(query)s'.", query=args.strip()))]
    lines = [t.ngettext("%(count)s customer found:", "%(count)s customers found:", len(found))]
    lines += [found_line(customer, member=member, t=t) for customer in found[:MAX_FOUND_SHOWN]]
    if len(found) > MAX_FOUND_SHOWN:
        lines.append(t.gettext("…and %(count)s more. Add a word to narrow the search.", count=len(found) - MAX_FOUND_SHOWN))
    return [Reply(text="\n".join(lines))]


def found_line(customer: Customer, *, member: Member, t: Translator) -> str:
    """Render one /find result; a manager also sees who owns another member's customer."""
    line = f"#{customer.id} {customer.name} ({customer.country}, {customer.tier})"
    if customer.pooled_at is not None:
        return line + " — " + t.gettext("in the pool")
    if customer.owner_id != member.id:
        return line + " — " + t.gettext("owner: %(owner)s", owner=customer.owner.display_name)
    return line


async def cmd_log(context: HandlerContext, args: str) -> list[Reply]:
    """Record an interaction with a customer; it restarts the cadence clock."""
    member = context.require_member()
    customer, rest = await find_customer_prefix(context, args, command="log")
    kind, text = parse_interaction(rest)
    await customer_service.log_interaction(
        context.session, actor=member, customer=customer, kind=kind, text=text.strip(), now=context.now
    )
    next_due = next_followup_date(context, customer)
    t = context.t
    return [
        Reply(
            text=t.gettext(
                "Logged for %(name)s (%(kind)s). Next follow-up: %(date)s.",
                kind=t.gettext(INTERACTION_LABELS[kind]),
                name=customer.name,
                date=next_due.isoformat(),
            )
        )
    ]
