"""The invented demonstration data set reproduces the 2022 background paper's figures.

Pure Python, no database: every figure is counted here again from the raw rows.
"""

import csv
import re
import zoneinfo
from collections import Counter, defaultdict
from datetime import date
from pathlib import Path

import pytest

from bot.demo.dataset import (
    POC_COLUMNS,
    SUBMISSION_COLUMNS,
    InventedDataset,
    build_paper_dataset,
    write_csv,
)
from tests.support.paths import REPO

REFERENCE = REPO / "storage" / "reference"
SINCE = date(2016, 1, 1)
FIRST_DAY = date(2004, 4, 28)
LAST_DAY = date(2022, 4, 15)
LANGUAGES = {"ar", "zh", "en", "fr", "ru", "es"}
NATIONAL_KINDS = {"first_report", "additional_info"}

# A deliberately strict subset of RFC 5322: dot-separated atoms, a plain domain.
EMAIL_RE = re.compile(
    r"[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*"
    r"@example\.org"
)
TELEGRAM_HANDLE_RE = re.compile(r"@[A-Za-z][A-Za-z0-9_]{4,31}")
PHONE_RE = re.compile(r"\+1 \d{3} 555 01\d{2}")
SYMBOL_RE = re.compile(r"S/AC\.44/\d{4}/\(\d{2}\)/\d+")


def _stand_in_states() -> list[tuple[str, str]]:
    letters = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
    return [
        (f"{letters[i // 100]}{i % 100:02d}", f"{letters[i // 26]}{letters[i % 26]}")
        for i in range(193)
    ]


def _stand_in_organisations() -> list[str]:
    return ["BWC ISU", "OAS/CICTE", *(f"ORG{i:02d}" for i in range(22))]


def _reference_states() -> list[tuple[str, str]]:
    path = REFERENCE / "member_states.csv"
    if not path.is_file():
        return _stand_in_states()
    with path.open(encoding="utf-8", newline="") as handle:
        states = [(row["iso3"], row["iso2"]) for row in csv.DictReader(handle)]
    return states if len(states) == 193 else _stand_in_states()


def _reference_organisations() -> list[str]:
    path = REFERENCE / "organisations.csv"
    if not path.is_file():
        return _stand_in_organisations()
    with path.open(encoding="utf-8", newline="") as handle:
        acronyms = [row["acronym"] for row in csv.DictReader(handle)]
    return acronyms if len(acronyms) >= 22 else _stand_in_organisations()


STATES = _reference_states()
ORGANISATIONS = _reference_organisations()
STATE_CODES = {iso3 for iso3, _ in STATES}


@pytest.fixture(scope="module")
def dataset() -> InventedDataset:
    return build_paper_dataset(STATES, ORGANISATIONS)


def _submissions_by_state(dataset: InventedDataset) -> dict[str, list[dict[str, str]]]:
    by_state: dict[str, list[dict[str, str]]] = defaultdict(list)
    for row in dataset.submissions:
        by_state[row["state"]].append(row)
    return by_state


def _active_parties(dataset: InventedDataset) -> set[str]:
    return {row["party"] for row in dataset.pocs if row["status"] == "active"}


def _first_email(row: dict[str, str]) -> str:
    return row["email"].split(";")[0].strip()


# --- reporting figures ------------------------------------------------------------------------


def test_it_reproduces_the_paper_reporting_figures(dataset: InventedDataset) -> None:
    by_state = _submissions_by_state(dataset)
    first_reports = Counter(
        row["state"] for row in dataset.submissions if row["kind"] == "first_report"
    )
    assert len(STATES) == 193
    assert set(by_state) <= STATE_CODES
    assert len(first_reports) == 185
    assert set(first_reports.values()) == {1}
    assert len(STATE_CODES - set(by_state)) == 8
    # a State that submitted anything has sent its first report
    assert set(by_state) == set(first_reports)

    national = Counter(row["state"] for row in dataset.submissions if row["kind"] in NATIONAL_KINDS)
    buckets = Counter("3+" if count >= 3 else str(count) for count in national.values())
    assert buckets == {"1": 61, "2": 28, "3+": 96}


def test_it_reproduces_the_number_of_states_submitting_since_2016(
    dataset: InventedDataset,
) -> None:
    """The paper's 75 count national reports and additional information, not action plans."""
    recent = {
        row["state"] for row in dataset.submissions
        if date.fromisoformat(row["date"]) >= SINCE and row["kind"] in NATIONAL_KINDS
    }
    assert len(recent) == 75


def test_it_reproduces_the_action_plan_figures(dataset: InventedDataset) -> None:
    plans = [row for row in dataset.submissions if row["kind"] == "action_plan"]
    reporting = {row["state"] for row in dataset.submissions if row["kind"] == "first_report"}
    assert len(plans) == 44
    assert len({row["state"] for row in plans}) == 36
    assert {row["state"] for row in plans} <= reporting
    assert all(2012 <= date.fromisoformat(row["date"]).year <= 2022 for row in plans)


def test_every_submission_is_dated_between_resolution_1540_and_the_cut_off(
    dataset: InventedDataset,
) -> None:
    for row in dataset.submissions:
        assert FIRST_DAY <= date.fromisoformat(row["date"]) <= LAST_DAY, row
        assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", row["date"]), row


def test_a_states_first_report_is_its_earliest_submission(dataset: InventedDataset) -> None:
    for state, rows in _submissions_by_state(dataset).items():
        first = next(row["date"] for row in rows if row["kind"] == "first_report")
        national = [row["date"] for row in rows if row["kind"] in NATIONAL_KINDS]
        assert first == min(national), state
        assert first == min(row["date"] for row in rows), state


def test_no_two_submissions_share_state_kind_and_date(dataset: InventedDataset) -> None:
    keys = [(row["state"], row["kind"], row["date"]) for row in dataset.submissions]
    assert len(keys) == len(set(keys))


def test_submission_symbols_and_kinds_look_like_the_committees(
    dataset: InventedDataset,
) -> None:
    for row in dataset.submissions:
        assert row["kind"] in {"first_report", "additional_info", "action_plan"}
        assert row["symbol"] == "" or SYMBOL_RE.fullmatch(row["symbol"]), row
        if row["symbol"]:
            assert row["symbol"].split("/")[2] == row["date"][:4], row


# --- Points of Contact ------------------------------------------------------------------------


def test_it_reproduces_the_paper_point_of_contact_figures(dataset: InventedDataset) -> None:
    active = _active_parties(dataset)
    assert len(active & STATE_CODES) == 136
    assert len(active & set(ORGANISATIONS)) == 22
    assert active <= STATE_CODES | set(ORGANISATIONS)


def test_inactive_points_of_contact_do_not_count(dataset: InventedDataset) -> None:
    active = _active_parties(dataset)
    inactive = [row for row in dataset.pocs if row["status"] == "inactive"]
    inactive_states = {row["party"] for row in inactive if row["party"] in STATE_CODES}
    inactive_orgs = {row["party"] for row in inactive if row["party"] in set(ORGANISATIONS)}
    assert len(inactive) >= 5
    # some States have only a former PoC: counting all PoCs would overshoot 136
    assert inactive_states - active
    assert inactive_states & active
    assert inactive_orgs
    if len(ORGANISATIONS) > 22:
        assert inactive_orgs - active
    assert len({row["party"] for row in dataset.pocs} & STATE_CODES) > 136


def test_some_states_have_a_national_and_an_assistance_point_of_contact(
    dataset: InventedDataset,
) -> None:
    roles: dict[str, list[str]] = defaultdict(list)
    for row in dataset.pocs:
        if row["status"] == "active" and row["party"] in STATE_CODES:
            roles[row["party"]].append(row["role"])
    pairs = [party for party, found in roles.items() if sorted(found) == ["assistance", "national"]]
    assert len(pairs) >= 5
    assert all(len(found) <= 2 for found in roles.values())


def test_roles_match_the_kind_of_party(dataset: InventedDataset) -> None:
    for row in dataset.pocs:
        assert row["status"] in {"active", "inactive"}, row
        if row["party"] in STATE_CODES:
            assert row["role"] in {"national", "assistance"}, row
        else:
            assert row["party"] in ORGANISATIONS, row
            assert row["role"] in {"coordinator", "assistance"}, row


def test_no_two_points_of_contact_share_a_first_email(dataset: InventedDataset) -> None:
    firsts = [_first_email(row).lower() for row in dataset.pocs]
    assert len(firsts) == len(set(firsts))
    keys = [(row["party"], _first_email(row)) for row in dataset.pocs]
    assert len(keys) == len(set(keys))
    every = [address for row in dataset.pocs for address in row["email"].split(";")]
    assert len(every) == len(set(every))


def test_every_email_is_a_valid_example_org_address(dataset: InventedDataset) -> None:
    for row in dataset.pocs:
        addresses = row["email"].split(";")
        assert addresses, row
        for address in addresses:
            assert address == address.strip(), row
            assert address.endswith("@example.org"), row
            assert EMAIL_RE.fullmatch(address), address
            assert len(address.split("@")[0]) <= 64, address


def test_awkward_organisation_acronyms_give_valid_addresses() -> None:
    organisations = ["BWC ISU", "OAS/CICTE", *(f"ORG {i}/X" for i in range(22))]
    result = build_paper_dataset(_stand_in_states(), organisations)
    org_rows = [row for row in result.pocs if row["party"] in organisations]
    assert {row["party"] for row in org_rows} >= {"BWC ISU", "OAS/CICTE"}
    for row in org_rows:
        for address in row["email"].split(";"):
            assert EMAIL_RE.fullmatch(address), address


def test_every_timezone_loads(dataset: InventedDataset) -> None:
    for zone in {row["timezone"] for row in dataset.pocs}:
        zoneinfo.ZoneInfo(zone)


def test_every_language_is_an_official_un_language(dataset: InventedDataset) -> None:
    used = {row["language"] for row in dataset.pocs}
    assert used <= LANGUAGES
    if "FRA" in STATE_CODES:  # real codes: the six languages all occur
        assert used == LANGUAGES


def test_real_codes_get_plausible_languages_and_zones(dataset: InventedDataset) -> None:
    by_party: dict[str, dict[str, str]] = {}
    for row in dataset.pocs:
        by_party.setdefault(row["party"], row)
    expected = {
        "FRA": ("fr", "Europe/Paris"),
        "CHN": ("zh", "Asia/Shanghai"),
        "RUS": ("ru", "Europe/Moscow"),
        "MEX": ("es", "America/Mexico_City"),
        "EGY": ("ar", "Africa/Cairo"),
    }
    for party, (language, zone) in expected.items():
        if party in by_party and party in STATE_CODES:
            assert by_party[party]["language"] == language
            assert by_party[party]["timezone"] == zone


def test_phones_and_telegram_are_invented_or_empty(dataset: InventedDataset) -> None:
    for row in dataset.pocs:
        assert row["phone"] == "" or PHONE_RE.fullmatch(row["phone"]), row
        telegram = row["telegram"]
        assert (
            telegram == ""
            or TELEGRAM_HANDLE_RE.fullmatch(telegram)
            or (telegram.isdigit() and int(telegram) > 0)
        ), row


def test_every_name_is_invented_and_filled_in(dataset: InventedDataset) -> None:
    for row in dataset.pocs:
        assert row["full_name"].endswith("-Test"), row
        assert row["title"], row
        assert row["agency"], row
    assert len({row["full_name"] for row in dataset.pocs}) > 50


# --- shape, determinism, file output ----------------------------------------------------------


def test_rows_use_exactly_the_import_columns_with_string_values(
    dataset: InventedDataset,
) -> None:
    for row in dataset.pocs:
        assert tuple(row) == POC_COLUMNS
        assert all(isinstance(value, str) for value in row.values())
    for row in dataset.submissions:
        assert tuple(row) == SUBMISSION_COLUMNS
        assert all(isinstance(value, str) for value in row.values())


def test_it_is_deterministic(dataset: InventedDataset) -> None:
    again = build_paper_dataset(STATES, ORGANISATIONS)
    assert again == dataset
    assert build_paper_dataset(list(STATES), tuple(ORGANISATIONS)) == again


def test_it_rejects_inputs_that_cannot_reproduce_the_figures() -> None:
    with pytest.raises(ValueError):
        build_paper_dataset(STATES[:-1], ORGANISATIONS)
    with pytest.raises(ValueError):
        build_paper_dataset(STATES, ORGANISATIONS[:21])
    with pytest.raises(ValueError):
        build_paper_dataset([*STATES[:-1], STATES[0]], ORGANISATIONS)


def test_write_csv_writes_utf8_with_a_header(dataset: InventedDataset, tmp_path: Path) -> None:
    pocs_path = tmp_path / "pocs.csv"
    submissions_path = tmp_path / "submissions.csv"
    write_csv(dataset.pocs, POC_COLUMNS, pocs_path)
    write_csv(dataset.submissions, SUBMISSION_COLUMNS, submissions_path)

    with pocs_path.open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        assert tuple(reader.fieldnames or ()) == POC_COLUMNS
        assert list(reader) == dataset.pocs
    with submissions_path.open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        assert tuple(reader.fieldnames or ()) == SUBMISSION_COLUMNS
        assert list(reader) == dataset.submissions
    assert pocs_path.read_bytes().decode("utf-8").splitlines()[0] == ",".join(POC_COLUMNS)
