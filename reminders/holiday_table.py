"""Greeting-worthy holidays of buyer countries, with the English greeting draft for each.

Sources: dates come from the `holidays` package 0.109, read with English (en_US) names.
tests/test_greetings.py checks every row against the installed version.
A name listed below is the package's en_US name without its "(estimated)" or "(observed)" mark.
A fixed month and day is used only where the package lacks the day or moves it, and each such
row says why. Which day a country calls its national day follows its public holiday law as the
package encodes it (for example Spain's Fiesta Nacional on 12 October, Turkey's Republic Day on
29 October), and for Egypt and Vietnam the fixed anniversaries (23 July 1952, 2 September 1945).

A holiday is listed for a country when most of its people observe it, when it is the
country's national day, or when it is a nationwide public holiday that business marks there
(Lunar New Year in Indonesia, Malaysia and the Philippines). Holidays of smaller communities
are left out (no Christmas for Turkey, Saudi Arabia, India or Indonesia, no Eid for India,
no Diwali for Singapore), because one greeting is suggested for every buyer of the country.
The United Kingdom has no national day, so it gets Christmas and New Year only.

Drafts are buyer-facing English and are not translated. They carry no salutation, so that one
draft fits every customer of a group; the rep writes "Dear ...," for each contact.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from bot.i18n import N_

HOLIDAYS_PACKAGE_VERSION = "0.109"


@dataclass(frozen=True)
class PackageDate:
    """A date read from the holidays package: the first day of each run of days with one of `names`.

    `categories` are the package's holiday categories to read, for holidays that are not
    in the default "public" one (Canada's Thanksgiving is a "government" holiday).
    """

    names: tuple[str, ...]
    categories: tuple[str, ...] = ("public",)


@dataclass(frozen=True)
class FixedDate:
    """A fixed month and day in every year.

    `names` are the package's names of the days off that belong to the holiday, so that a
    list of days off can show them beside it.
    """

    month: int
    day: int
    names: tuple[str, ...] = ()


DateRule = PackageDate | FixedDate


@dataclass(frozen=True)
class GreetingHoliday:
    """One greeting-worthy holiday and how to find its date in each country that observes it."""

    key: str
    name: str
    """English name, marked with N_() and translated for the rep."""
    draft: str
    """Buyer-facing English greeting, one or two sentences without a salutation."""
    dates: Mapping[str, DateRule] = field(compare=False)
    """Date rule per ISO 3166-1 alpha-2 country code."""
    national_day: bool = False


def _package(*names: str, categories: tuple[str, ...] = ("public",)) -> PackageDate:
    return PackageDate(names=names, categories=categories)


PLEASANT_HOLIDAY = "We wish you and your team a pleasant holiday."

GREETING_HOLIDAYS: tuple[GreetingHoliday, ...] = (
    # --- Year-end and New Year ---------------------------------------------------------
    GreetingHoliday(
        key="christmas",
        name=N_("Christmas"),
        draft=(
            "Merry Christmas to you and your team. Thank you for your cooperation this year, "
            "and we look forward to working with you in the new year."
        ),
        dates={
            **{
                country: _package("Christmas Day")
                for country in (
                    "US", "CA", "MX", "BR", "GB", "DE", "FR", "IT", "ES", "NL", "PL",
                    "NG", "ZA", "SG", "PH", "KR", "AU",
                )
            },
            # The Russian Orthodox Church keeps the Julian calendar: Christmas is on 7 January.
            "RU": _package("Christmas Day"),
        },
    ),
    GreetingHoliday(
        key="new_year",
        name=N_("New Year"),
        draft=(
            "Happy New Year to you and your team. Thank you for your cooperation, and we wish "
            "you a healthy and successful year."
        ),
        dates={
            **{
                country: _package("New Year's Day")
                for country in (
                    "US", "CA", "MX", "GB", "DE", "FR", "IT", "ES", "NL", "PL", "TR", "AE",
                    "NG", "ZA", "ID", "SG", "TH", "VN", "PH", "JP", "KR", "AU",
                )
            },
            # Brazil names 1 January Confraternização Universal.
            "BR": _package("Universal Fraternization Day"),
            # Russia's New Year holidays run from 1 to 8 January, with Christmas on the 7th.
            "RU": _package("New Year Holidays"),
            # 1 January is no national public holiday in India, and only a state holiday in most
            # Malaysian states, but businesses in both exchange New Year greetings.
            "IN": FixedDate(1, 1),
            "MY": FixedDate(1, 1, names=("New Year's Day",)),
        },
    ),
    GreetingHoliday(
        key="lunar_new_year",
        name=N_("Lunar New Year"),
        draft="Happy Lunar New Year! We wish you and your family good health and a prosperous year ahead.",
        dates={
            "VN": _package("Lunar New Year"),
            "ID": _package("Lunar New Year"),
            "SG": _package("Chinese New Year"),
            "MY": _package("Chinese New Year"),
            "PH": _package("Chinese New Year"),
            # Seollal; the day before and after are days off too, with their own names.
            "KR": _package("Korean New Year"),
        },
    ),
    # --- Religious and seasonal festivals ----------------------------------------------
    # Islamic dates after the package's last confirmed year are estimates, and are shown so.
    GreetingHoliday(
        key="eid_al_fitr",
        name=N_("Eid al-Fitr"),
        draft="Eid Mubarak! We wish you and your family peace, joy and prosperity on Eid al-Fitr.",
        dates={
            **{
                country: _package("Eid al-Fitr")
                for country in ("AE", "EG", "TR", "PK", "BD", "ID", "MY", "NG")
            },
            # NOTE: Saudi Arabia's calendar lists only the official Eid holiday, which starts
            # on 30 Ramadan when Ramadan has 30 days, so the date shown may be the eve of Eid.
            "SA": _package("Eid al-Fitr Holiday"),
        },
    ),
    GreetingHoliday(
        key="eid_al_adha",
        name=N_("Eid al-Adha"),
        draft="Eid al-Adha Mubarak! We wish you and your family peace, health and prosperity.",
        dates={
            **{
                country: _package("Eid al-Adha")
                for country in ("AE", "EG", "TR", "PK", "BD", "ID", "MY", "NG")
            },
            "SA": _package("Eid al-Adha Holiday"),
        },
    ),
    GreetingHoliday(
        key="diwali",
        name=N_("Diwali"),
        draft="Happy Diwali! We wish you and your family a bright festival and a prosperous year ahead.",
        dates={"IN": _package("Diwali")},
    ),
    GreetingHoliday(
        key="thanksgiving",
        name=N_("Thanksgiving"),
        draft="Happy Thanksgiving! Thank you for your partnership, and we wish you a pleasant holiday with your family.",
        dates={
            "US": _package("Thanksgiving Day"),
            # A federal statutory holiday, which the package files under "government".
            "CA": _package("Thanksgiving Day", categories=("government",)),
        },
    ),
    GreetingHoliday(
        key="songkran",
        name=N_("Songkran (Thai New Year)"),
        draft="Happy Songkran! We wish you and your family good health and good fortune in the Thai New Year.",
        dates={"TH": _package("Songkran Festival")},
    ),
    GreetingHoliday(
        key="chuseok",
        name=N_("Chuseok"),
        draft="Happy Chuseok! We wish you and your family a joyful and restful holiday.",
        dates={"KR": _package("Chuseok")},
    ),
    # --- National days -----------------------------------------------------------------
    GreetingHoliday(
        key="independence_day",
        name=N_("Independence Day"),
        draft=f"Warm greetings on Independence Day. {PLEASANT_HOLIDAY}",
        dates={
            **{
                country: _package("Independence Day")
                for country in ("US", "MX", "BR", "IN", "PK", "BD", "ID", "PH")
            },
            "PL": _package("National Independence Day"),
        },
        national_day=True,
    ),
    GreetingHoliday(
        key="national_day",
        name=N_("National Day"),
        draft=f"Warm greetings on your National Day. {PLEASANT_HOLIDAY}",
        dates={
            **{
                country: _package("National Day")
                for country in ("FR", "ES", "AE", "NG", "SG", "MY", "TH")
            },
            "SA": _package("National Day Holiday"),
            # The package lists 2 September and one day next to it under this name, and that
            # day comes before 2 September in some years.
            "VN": FixedDate(9, 2, names=("National Day",)),
        },
        national_day=True,
    ),
    GreetingHoliday(
        key="republic_day",
        name=N_("Republic Day"),
        draft=f"Warm greetings on Republic Day. {PLEASANT_HOLIDAY}",
        dates={country: _package("Republic Day") for country in ("IT", "TR", "IN")},
        national_day=True,
    ),
    GreetingHoliday(
        key="canada_day",
        name=N_("Canada Day"),
        draft=f"Happy Canada Day! {PLEASANT_HOLIDAY}",
        dates={"CA": _package("Canada Day")},
        national_day=True,
    ),
    GreetingHoliday(
        key="german_unity_day",
        name=N_("German Unity Day"),
        draft=f"Warm greetings on the Day of German Unity. {PLEASANT_HOLIDAY}",
        dates={"DE": _package("German Unity Day")},
        national_day=True,
    ),
    GreetingHoliday(
        key="kings_day",
        name=N_("King's Day"),
        draft=f"Happy King's Day! {PLEASANT_HOLIDAY}",
        dates={"NL": _package("King's Day")},
        national_day=True,
    ),
    GreetingHoliday(
        key="russia_day",
        name=N_("Russia Day"),
        draft=f"Warm greetings on Russia Day. {PLEASANT_HOLIDAY}",
        dates={"RU": _package("Russia Day")},
        national_day=True,
    ),
    GreetingHoliday(
        key="revolution_day",
        name=N_("Revolution Day (23 July)"),
        draft=f"Warm greetings on Revolution Day. {PLEASANT_HOLIDAY}",
        # Egypt moves the day off to a Thursday in some years, and the package then lists
        # only the moved day, so the anniversary itself is fixed here.
        dates={"EG": FixedDate(7, 23, names=("July 23 Revolution Day",))},
        national_day=True,
    ),
    GreetingHoliday(
        key="freedom_day",
        name=N_("Freedom Day"),
        draft=f"Warm greetings on Freedom Day. {PLEASANT_HOLIDAY}",
        dates={"ZA": _package("Freedom Day")},
        national_day=True,
    ),
    GreetingHoliday(
        key="australia_day",
        name=N_("Australia Day"),
        draft=f"Happy Australia Day! {PLEASANT_HOLIDAY}",
        dates={"AU": _package("Australia Day")},
        national_day=True,
    ),
    GreetingHoliday(
        key="japan_foundation_day",
        name=N_("National Foundation Day"),
        draft=f"Warm greetings on National Foundation Day. {PLEASANT_HOLIDAY}",
        dates={"JP": _package("Foundation Day")},
        national_day=True,
    ),
    GreetingHoliday(
        key="gaecheonjeol",
        name=N_("Gaecheonjeol (National Foundation Day)"),
        draft=f"Warm greetings on Gaecheonjeol, Korea's National Foundation Day. {PLEASANT_HOLIDAY}",
        dates={"KR": _package("National Foundation Day")},
        national_day=True,
    ),
)
