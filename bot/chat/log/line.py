"""The one-line form of the chat's /log command: an outreach event typed on one line.

    /log 2022-03-14 | Regional workshop on export controls | Bangkok, THA
         | audiences=states,industry | iro=co_organised:UNODA

Pure: the line becomes a row with the columns of `outreach import events`, and that row is
checked by the importer itself (storage.imports.events), so the chat and the CLI accept the
same words. Here only the shape of the line is checked: the fields, the dates' spelling and
the keys. Whether the country, the organisers or the audiences exist is the importer's word.

Every string returned is Telegram HTML from templates/chat/<language>/log.html.j2 (the
language given, else the reader's: bot.chat.common.say), with what
the person typed escaped.
"""

import re
from datetime import date

from bot.chat.common import say
from storage.imports.common import closest

# key typed in the chat -> the import's column; "iro" is special: involvement[:ORG1,ORG2]
KEYS = {"audiences": "audiences", "iro": "iro_involvement", "type": "type",
        "participants": "participants", "role": "committee_role", "url": "source_url",
        "notes": "notes", "organisers": "organisers", "lead": "lead_body"}

_COMMAND = re.compile(r"^\s*/log(?:@\w+)?(?=\s|$)", re.IGNORECASE)
_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")
_KEY = re.compile(r"\s*([A-Za-z_]+)\s*=(.*)", re.DOTALL)
_HYBRID = re.compile(r"\(\s*hybrid\s*\)\s*$", re.IGNORECASE)


def known_keys() -> str:
    return ", ".join(KEYS)


def usage(language: str | None = None) -> str:
    """How to write the line, with the issue's example."""
    return say("log", "usage", language, known=known_keys())


def _day(value: str) -> bool:
    if not _DAY.fullmatch(value):
        return False
    try:
        date.fromisoformat(value)
    except ValueError:
        return False
    return True


def _dates(value: str, row: dict[str, str], problems: list[str], language: str | None
           ) -> None:
    if not value:
        problems.append(say("log", "missing_date", language))
        return
    start, dots, end = (part.strip() for part in value.partition(".."))
    if not _day(start) or (dots and not _day(end)):
        problems.append(say("log", "bad_date", language, value=value))
        return
    row["start_date"] = start
    if dots:
        row["end_date"] = end  # an end before the start is the importer's to report


def _items(value: str) -> list[str]:
    """A list typed with commas or semicolons."""
    return [item.strip() for item in re.split(r"[,;]", value) if item.strip()]


def _place(value: str, row: dict[str, str], problems: list[str], language: str | None
           ) -> None:
    if value.casefold() == "virtual":
        row.update(mode="virtual", city="", country="")
        return
    mode = "in_person"
    if _HYBRID.search(value):
        mode = "hybrid"
        value = _HYBRID.sub("", value).strip()
    city, comma, country = (part.strip() for part in value.rpartition(","))
    if not comma:
        city, country = "", value  # a country alone
    if not country:
        problems.append(say("log", "bad_place", language, value=value))
        return
    row.update(mode=mode, city=city, country=country)


def _key_value(
    field: str, row: dict[str, str], seen: set[str], problems: list[str],
    language: str | None
) -> None:
    match = _KEY.fullmatch(field)
    if match is None:
        problems.append(say("log", "not_a_key_value", language, value=field))
        return
    key, value = match.group(1).lower(), match.group(2).strip()
    if key not in KEYS:
        problems.append(say("log", "unknown_key", language, key=key, known=known_keys(),
                             suggestion=closest(key, KEYS)))
        return
    if key in seen:
        problems.append(say("log", "duplicate_key", language, key=key))
        return
    seen.add(key)
    if not value:
        problems.append(say("log", "missing_value", language, key=key))
        return
    if key == "iro":
        involvement, _, organisations = value.partition(":")
        row["iro_involvement"] = involvement.strip()
        if organisations.strip():
            _add_organisers(row, _items(organisations))
    elif key == "organisers":
        _add_organisers(row, _items(value))
    elif key == "audiences":
        row["audiences"] = ";".join(_items(value))
    else:
        row[KEYS[key]] = value


def _add_organisers(row: dict[str, str], names: list[str]) -> None:
    """The organisers given by `organisers=` and by `iro=...:ORG`, each once, in order."""
    current = _items(row.get("organisers", ""))
    folded = {name.casefold() for name in current}
    for name in names:
        if name.casefold() not in folded:
            current.append(name)
            folded.add(name.casefold())
    row["organisers"] = ";".join(current)


def parse_log_line(
    text: str, language: str | None = None
) -> tuple[dict[str, str] | None, list[str]]:
    """The line as a row of `outreach import events` columns, or what is wrong with it.

    The row holds start_date and title, and only the other columns the line gives (a place
    gives mode, city and country). When something is wrong the row is None and the last
    message is the usage hint.
    """
    line = _COMMAND.sub("", text, count=1).strip()
    problems: list[str] = []
    if not line:
        return None, [say("log", "empty_line", language), usage(language)]
    fields = [field.strip() for field in line.split("|")]
    row: dict[str, str] = {}
    _dates(fields[0], row, problems, language)
    title = fields[1] if len(fields) > 1 else ""
    if title:
        row["title"] = title
    else:
        problems.append(say("log", "missing_title", language))
    rest = fields[2:]
    if rest and not _KEY.fullmatch(rest[0]):
        _place(rest[0], row, problems, language)
        rest = rest[1:]
    seen: set[str] = set()
    for field in rest:
        if field:  # a stray "|" at the end, or "||", is forgiven
            _key_value(field, row, seen, problems, language)
    if problems:
        return None, [*problems, usage(language)]
    return row, []


def summary(row: dict[str, str], language: str | None = None) -> str:
    """The event as it will be saved, shown before the Save button (Telegram HTML)."""
    return say("log", "summary", language, row=row)
