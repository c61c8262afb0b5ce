"""Hypothesis strategies for the files staff import: a header spelled any way, columns in any
order, each cell plausible or garbage (or the whole file arbitrary text). For the importers'
property specs (tests/storage/test_import_properties.py)."""

import csv
import io
from datetime import date, timedelta
from zoneinfo import available_timezones

from hypothesis import strategies as st

from storage.pocs import PocRole, PocStatus
from storage.submissions import RESOLUTION_ADOPTED, SubmissionKind

TODAY = date(2026, 11, 27)  # the day the importers are told it is: later dates are refused

garbage = st.text(max_size=40)


def mixed(*plausible: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    """A column's values: mostly plausible ones, sometimes arbitrary text."""
    return st.one_of(*plausible, *plausible, garbage)


def text_up_to(limit: int) -> st.SearchStrategy[str]:
    """Printable text of any script that fits the column (cells are stripped when read)."""
    printable = st.characters(codec="utf-8", exclude_categories=["Cc"])
    return st.text(printable | st.sampled_from("\t\n\r"), max_size=limit).map(str.strip)


# Values a careful person may write, boundary cases included: a 200-character name, a
# 19-digit chat id, a 20-digit extension, a stray NUL from an export. The importer must
# either store them or refuse them as problems; a file of these is often accepted...
good_parties = st.sampled_from([
    "FRA", "KEN", "IAEA", "Türkiye", "türkiye", "TUR", "fra", " Kenya ", "France",
    "Côte d'Ivoire", "cote d'ivoire", "CIV", "OPCW", "USA", "BWC ISU",
])
good_states = st.sampled_from([
    "FRA", "KEN", "Türkiye", "türkiye", "TUR", "fra", " Kenya ", "France", "Côte d'Ivoire",
    "cote d'ivoire", "CIV", "USA", "United States of America",
])
good_names = st.one_of(
    st.sampled_from(["Claire Martin-Test", "Wanjiru Otieno-Test", "Ivo Novak-Test",
                     "Zeynep Y\u0131lmaz-Test", "محمد الاختبار", "李测试"]),
    text_up_to(200).map(lambda name: name or "N"),
    st.sampled_from(["Claire\x00Martin-Test", "Ivo\tNovak\r\nTest", "\U0001f600 Test",
                     "N" * 200]),
)
good_one_email = st.sampled_from([
    "claire.martin@example.org", "Claire.Martin@Example.org", "w.otieno@example.org",
    "ivo.novak@example.org", "desk.fra@example.org", "müller@example.org",
    "o'brien+1540@example.org", "a" * 64 + "@example.org",
])
good_emails = st.lists(good_one_email, min_size=1, max_size=3).flatmap(
    lambda parts: st.sampled_from([";", ",", "; "]).map(lambda sep: sep.join(parts))
)
good_days = st.dates(min_value=RESOLUTION_ADOPTED, max_value=TODAY).map(date.isoformat)
good_optional_days = st.one_of(st.just(""), good_days)
good_languages = st.sampled_from(["ar", "zh", "en", "fr", "ru", "es", "EN", " fr ", ""])
good_timezones = st.one_of(
    st.sampled_from(["Europe/Paris", "Africa/Nairobi", "UTC", "Europe/Vienna",
                     "Europe/Istanbul", ""]),
    st.sampled_from(sorted(available_timezones())),
)
good_roles = st.sampled_from([*PocRole, "National", " ASSISTANCE ", ""])
good_statuses = st.sampled_from([*PocStatus, "Active", ""])
good_phones = st.one_of(
    st.sampled_from(["", "+33 1 55 55 01 01", "+254 20 1234567", "+1 202 555 0100",
                     "+1 202 555 0100 ext. 1234", "+44 20 7946 0958", "+90 312 555 55 55"]),
    st.sampled_from(["+1 202 555 0100 ext. 12345678901234567890",
                     "+49 30 123456789012 ext. 123456789012345"]),
)
good_telegrams = st.one_of(
    st.sampled_from(["", "@claire_test", "https://t.me/claire_test", "t.me/w_otieno",
                     "-1001234567890", "@" + "a" * 32]),
    st.integers(min_value=-(2**53), max_value=2**53).map(str),
    st.sampled_from(["9007199254740993", "9223372036854775807", "9223372036854775808",
                     "-9223372036854775809", "9999999999999999999"]),
)
good_kinds = st.sampled_from([*SubmissionKind, "First report", "FIRST_REPORT"])
good_symbols = st.one_of(st.sampled_from(["", "S/AC.44/2004/(02)/5", "S/AC.44/2026/1"]),
                         text_up_to(80))
good_notes = st.one_of(st.sampled_from(["", "follow-up"]), text_up_to(100),
                       st.sampled_from(["x" * 2000, "follow\x00up"]))
good_free_text = st.one_of(
    st.sampled_from(["", "Counsellor", "Ministry of Foreign Affairs"]),
    text_up_to(200),
    st.sampled_from(["Ministry\x00of Defence", "M" * 200]),
)

# ... and the values a person, a spreadsheet or a broken export may put there.
bad_parties = st.sampled_from(["Turkey", "Ivory Coast", "XXX", "France (Republic of)", ""])
bad_names = st.sampled_from(["", "x" * 201])
bad_one_email = st.sampled_from([
    "no-at-sign", "a@b", "@example.org", "two@@example.org", "x@example.org.", "",
    "claire martin@example.org", "a" * 65 + "@example.org",
])
any_emails = st.lists(st.one_of(good_one_email, bad_one_email,
                                st.emails(domains=st.just("example.org"))),
                      min_size=1, max_size=3).map(";".join)
bad_days = st.one_of(
    st.dates(max_value=RESOLUTION_ADOPTED - timedelta(days=1)).map(date.isoformat),
    st.dates(min_value=TODAY + timedelta(days=1)).map(date.isoformat),
    st.sampled_from(["2026-13-01", "27/11/2026", "2026-02-30", "20261127", "2026-W48-5",
                     "2004-04-27", "2026-11-28", "9999-12-31", "0001-01-01", "yesterday", ""]),
)
bad_languages = st.sampled_from(["de", "english", "fra", "e n"])
bad_timezones = st.sampled_from(["europe/paris", "Mars/Olympus", "GMT+3", "Paris", "local"])
bad_roles = st.sampled_from(["focal point", "natl", "Co-ordinator"])
bad_statuses = st.sampled_from(["retired", "on leave"])
bad_phones = st.one_of(
    st.sampled_from(["01 55 55 01 01", "+999999999999999999999", "phone", "+1"]),
    st.builds("+{}{}".format, st.integers(1, 999), st.integers(0, 10**25)),
)
bad_telegrams = st.sampled_from(["@ab", "@" + "a" * 40, "https://example.org/claire",
                                 "12345678901234567890", "@claire test"])
bad_kinds = st.sampled_from(["national_report", "first", "addendum", ""])
bad_symbols = st.just("S" * 81)
bad_notes = st.just("x" * 2001)

COLUMN_VALUES: dict[str, tuple[st.SearchStrategy[str], st.SearchStrategy[str]]] = {
    # column: (only good values, good and bad values mixed)
    "party": (good_parties, mixed(good_parties, bad_parties)),
    "state": (good_states, mixed(good_parties, bad_parties)),
    "full_name": (good_names, mixed(good_names, bad_names)),
    "email": (good_emails, mixed(good_emails, any_emails)),
    "role": (good_roles, mixed(good_roles, bad_roles)),
    "title": (good_free_text, mixed(good_free_text, bad_names)),
    "agency": (good_free_text, mixed(good_free_text, st.just("x" * 301))),
    "phone": (good_phones, mixed(good_phones, bad_phones)),
    "telegram": (good_telegrams, mixed(good_telegrams, bad_telegrams)),
    "language": (good_languages, mixed(good_languages, bad_languages)),
    "timezone": (good_timezones, mixed(good_timezones, bad_timezones)),
    "status": (good_statuses, mixed(good_statuses, bad_statuses)),
    "date_notified": (good_optional_days, mixed(good_optional_days, bad_days)),
    "date_verified": (good_optional_days, mixed(good_optional_days, bad_days)),
    "kind": (good_kinds, mixed(good_kinds, bad_kinds)),
    "date": (good_days, mixed(good_days, bad_days)),
    "symbol": (good_symbols, mixed(good_symbols, bad_symbols)),
    "note": (good_notes, mixed(good_notes, bad_notes)),
}
unknown_columns = st.one_of(
    st.sampled_from(["notes", "fullname", "e-mail", "country", "Date Submitted", ""]),
    st.text(max_size=12),
)


def header_spelling(column: str) -> st.SearchStrategy[str]:
    return st.sampled_from([column, column.upper(), column.replace("_", " ").title(),
                            column.replace("_", "-"), f" {column} "])


def sometimes(draw: st.DrawFn) -> bool:
    """True one time in four."""
    return draw(st.integers(0, 3)) == 0


@st.composite
def structured_files(draw: st.DrawFn, required: set[str], optional: set[str]) -> str:
    """A file with a header and rows: columns dropped, added, reordered; rows repeated, cut.

    A "clean" file has only good_* values, so that it is often accepted and written;
    whether it is depends on duplicates, a second first report and the boundary cases.
    """
    clean = draw(st.integers(0, 2)) > 0  # two files in three
    columns = sorted(required)
    if not clean and sometimes(draw):
        columns.remove(draw(st.sampled_from(columns)))
    if draw(st.booleans()):
        columns += sorted(optional)
    else:
        columns += draw(st.lists(st.sampled_from(sorted(optional)), unique=True))
    if not clean and sometimes(draw):
        columns += draw(st.lists(unknown_columns, min_size=1, max_size=2))
    columns = draw(st.permutations(columns))
    header = [draw(header_spelling(column)) for column in columns]
    column_values = [COLUMN_VALUES[column][0 if clean else 1] if column in COLUMN_VALUES
                     else garbage for column in columns]
    rows = [[draw(values) for values in column_values] for _ in range(draw(st.integers(0, 4)))]
    if rows and sometimes(draw):
        rows.append(list(draw(st.sampled_from(rows))))
    if rows and not clean and sometimes(draw):
        row = draw(st.sampled_from(rows))
        if draw(st.booleans()):
            del row[draw(st.integers(0, len(row))):]
        else:
            row.append(draw(garbage))
    delimiter = draw(st.sampled_from([",", ";"]))
    out = io.StringIO()
    if clean or draw(st.integers(0, 3)):
        writer = csv.writer(out, delimiter=delimiter,
                            lineterminator=draw(st.sampled_from(["\r\n", "\n"])),
                            quoting=draw(st.sampled_from([csv.QUOTE_MINIMAL, csv.QUOTE_ALL])))
        writer.writerows([header, *rows])
    else:  # as a careless script would write it: no quoting at all
        out.write("".join(delimiter.join(line) + "\n" for line in [header, *rows]))
    bom = "\ufeff" if draw(st.booleans()) else ""
    return bom + out.getvalue()


def any_files(required: set[str], optional: set[str]) -> st.SearchStrategy[str]:
    good_header = ",".join(sorted(required | optional)) + "\n"
    return st.one_of(
        structured_files(required, optional),
        structured_files(required, optional),
        structured_files(required, optional),
        st.text().map(lambda body: good_header + body),
        st.text(),
    )
