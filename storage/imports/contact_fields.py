"""Validation of a PoC's contact details, shared by imports and the add/edit commands.

phonenumbers and email-validator are imported when a value is checked: the CLI imports this
module at start (`outreach pocs` and the imports need it), and most commands check nothing.
"""

import re
from functools import cache, lru_cache
from importlib import resources
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

from storage.imports.common import closest


class InvalidValue(Exception):
    def __init__(self, code: str, **params: str) -> None:
        super().__init__(code)
        self.code = code
        self.params = params


def normalise_emails(value: str) -> tuple[str, ...]:
    """Addresses separated by ';' (or ','), each checked for syntax, lower-cased, in order."""
    addresses = [part.strip() for part in re.split(r"[;,]", value) if part.strip()]
    if not addresses:
        raise InvalidValue("required", column="email")
    normalised: list[str] = []
    for address in addresses:
        checked = _plain_address(address) or _checked_address(address)
        if checked.lower() not in normalised:
            normalised.append(checked.lower())
    return tuple(normalised)


def _checked_address(address: str) -> str:
    """The address as email-validator normalises it, or InvalidValue saying why not."""
    from email_validator import EmailNotValidError, validate_email

    try:
        checked = validate_email(address, check_deliverability=False)
    except EmailNotValidError as error:
        raise InvalidValue("invalid_email", value=address, reason=str(error)) from error
    normalized: str = checked.normalized
    return normalized


# What email-validator accepts before the @ as it is (RFC 5322 dot-atom, ASCII), and an
# ASCII domain; the addresses of a registry, nearly all of them.
_PLAIN = re.compile(r"([A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*)"
                    r"@([A-Za-z0-9.-]+)")
_LOCAL_MAX, _ADDRESS_MAX = 64, 254  # RFC 5321, as email-validator counts them


def _plain_address(address: str) -> str | None:
    """`_checked_address(address)` for a plain address, the domain checked once per file
    rather than per address (two thirds of email-validator's time, and a registry's
    addresses share a few hundred domains); None for any other, left to email-validator.
    tests/storage/test_plain_addresses.py holds the two side by side."""
    match = _PLAIN.fullmatch(address)
    if match is None or len(match[1]) > _LOCAL_MAX:
        return None
    domain = _checked_domain(match[2])
    if domain is None:
        return None
    unicode_domain, ascii_domain = domain
    normalised = f"{match[1]}@{unicode_domain}"
    if (len(match[1]) + 1 + len(ascii_domain) > _ADDRESS_MAX
            or len(normalised.encode()) > _ADDRESS_MAX):
        return None
    return normalised


@lru_cache(maxsize=4096)
def _checked_domain(domain: str) -> tuple[str, str] | None:
    """The domain as email-validator normalises it after an @ (and its ASCII form), or None
    when it refuses it (the whole address then gets its own reason)."""
    from email_validator import EmailNotValidError, validate_email

    try:
        checked = validate_email(f"a@{domain}", check_deliverability=False)
    except EmailNotValidError:
        return None
    return checked.domain, checked.ascii_domain


def normalise_phone(value: str) -> str:
    """An international number (+country code), stored in the international format."""
    import phonenumbers

    if not value.strip():
        return ""
    try:
        number = phonenumbers.parse(value, None)
    except phonenumbers.NumberParseException as error:
        raise InvalidValue("invalid_phone", value=value) from error
    if not phonenumbers.is_possible_number(number):
        raise InvalidValue("invalid_phone", value=value)
    formatted: str = phonenumbers.format_number(
        number, phonenumbers.PhoneNumberFormat.INTERNATIONAL
    )
    if len(formatted) > PHONE_MAX_LENGTH:
        raise InvalidValue("invalid_phone", value=value)
    return formatted


PHONE_MAX_LENGTH = 40  # the column's size; a longer one is an extension gone wrong

# Telegram promises chat ids fit in 52 bits (they are doubles in some clients).
TELEGRAM_MAX_CHAT_ID = 2**53

_HANDLE = re.compile(r"^[A-Za-z][A-Za-z0-9_]{4,31}$")


def parse_telegram(value: str) -> tuple[str | None, int | None]:
    """A Telegram "@handle" (or t.me link) or a numeric chat id -> (handle, chat_id)."""
    text = value.strip()
    if not text:
        return None, None
    if re.fullmatch(r"-?[0-9]+", text):
        chat_id = int(text)
        if chat_id == 0 or abs(chat_id) > TELEGRAM_MAX_CHAT_ID:
            raise InvalidValue("invalid_telegram", value=value)
        return None, chat_id
    text = re.sub(r"^(https?://)?(t\.me|telegram\.me)/", "", text).lstrip("@")
    if not _HANDLE.fullmatch(text):
        raise InvalidValue("invalid_telegram", value=value)
    return "@" + text, None


@cache
def _zones() -> frozenset[str]:
    return frozenset(available_timezones())


@cache
def _country_zones() -> dict[str, str]:
    """ISO alpha-2 -> the first zone tzdata lists for the country (usually its capital's)."""
    text = resources.files("tzdata").joinpath("zoneinfo", "zone.tab").read_text("utf-8")
    zones: dict[str, str] = {}
    for line in text.splitlines():
        if line and not line.startswith("#"):
            country, _coordinates, zone = line.split("\t")[:3]
            zones.setdefault(country, zone)
    return zones


def default_timezone(iso2: str | None) -> str:
    return _country_zones().get(iso2 or "", "UTC")


def check_timezone(value: str) -> str:
    text = value.strip()
    if text in _zones():
        try:
            ZoneInfo(text)
            return text
        except (ZoneInfoNotFoundError, ValueError):
            pass
    raise InvalidValue("unknown_timezone", value=value, suggestion=closest(text, _zones()))
