"""Specification tests for the shipped reference data in storage/reference."""

from __future__ import annotations

import csv
from collections import Counter

import pycountry

from tests.support.paths import REPO

REFERENCE_DIR = REPO / "storage" / "reference"

GROUPS = {"AFR", "APG", "EEG", "GRULAC", "WEOG"}
SCOPES = {"international", "regional", "sub_regional", "un_entity"}


def read_rows(filename: str) -> list[dict[str, str]]:
    with (REFERENCE_DIR / filename).open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def member_states() -> list[dict[str, str]]:
    return read_rows("member_states.csv")


def state(iso3: str) -> dict[str, str]:
    matches = [row for row in member_states() if row["iso3"] == iso3]
    assert len(matches) == 1, iso3
    return matches[0]


def test_files_are_utf8_without_bom() -> None:
    for path in REFERENCE_DIR.glob("*.csv"):
        assert not path.read_bytes().startswith(b"\xef\xbb\xbf"), path.name


def test_member_states_header_is_as_documented() -> None:
    with (REFERENCE_DIR / "member_states.csv").open(encoding="utf-8") as handle:
        header = handle.readline().strip()
    assert header == (
        "iso3,iso2,m49,name,regional_group,electoral_group,observer_in,also_participates_in"
    )


def test_there_are_193_member_states() -> None:
    assert len(member_states()) == 193


def test_member_states_are_sorted_by_iso3() -> None:
    codes = [row["iso3"] for row in member_states()]
    assert codes == sorted(codes)


def test_regional_groups_file_lists_the_five_un_groups() -> None:
    groups = {row["code"]: row["name"] for row in read_rows("regional_groups.csv")}
    assert groups == {
        "AFR": "African States",
        "APG": "Asia-Pacific States",
        "EEG": "Eastern European States",
        "GRULAC": "Latin American and Caribbean States",
        "WEOG": "Western European and other States",
    }


def test_every_group_code_used_is_known() -> None:
    for row in member_states():
        assert row["electoral_group"] in GROUPS, row["iso3"]
        for column in ("regional_group", "observer_in", "also_participates_in"):
            assert row[column] in GROUPS | {""}, (row["iso3"], column)


def test_electoral_group_counts_match_the_un_page() -> None:
    counts = Counter(row["electoral_group"] for row in member_states())
    assert counts == {"AFR": 54, "APG": 54, "EEG": 23, "GRULAC": 33, "WEOG": 29}


def test_electoral_group_equals_regional_group_except_for_the_usa() -> None:
    for row in member_states():
        if row["iso3"] != "USA":
            assert row["electoral_group"] == row["regional_group"], row["iso3"]


def test_turkiye_is_weog_and_also_participates_in_asia_pacific() -> None:
    turkiye = state("TUR")
    assert turkiye["name"] == "Türkiye"
    assert turkiye["regional_group"] == "WEOG"
    assert turkiye["electoral_group"] == "WEOG"
    assert turkiye["also_participates_in"] == "APG"
    assert turkiye["observer_in"] == ""


def test_usa_belongs_to_no_group_observes_weog_and_counts_with_weog() -> None:
    usa = state("USA")
    assert usa["name"] == "United States of America"
    assert usa["regional_group"] == ""
    assert usa["observer_in"] == "WEOG"
    assert usa["electoral_group"] == "WEOG"
    assert usa["also_participates_in"] == ""


def test_only_the_special_cases_use_observer_and_participation_columns() -> None:
    for row in member_states():
        if row["iso3"] != "USA":
            assert row["observer_in"] == "", row["iso3"]
            assert row["regional_group"] != "", row["iso3"]
        if row["iso3"] != "TUR":
            assert row["also_participates_in"] == "", row["iso3"]


def test_tricky_group_memberships() -> None:
    expected = {
        "CYP": "APG",
        "KIR": "APG",
        "KAZ": "APG",
        "ISR": "WEOG",
        "AUS": "WEOG",
        "NZL": "WEOG",
        "CAN": "WEOG",
        "GEO": "EEG",
        "ARM": "EEG",
        "AZE": "EEG",
        "EST": "EEG",
        "LVA": "EEG",
        "LTU": "EEG",
        "MEX": "GRULAC",
    }
    for iso3, group in expected.items():
        assert state(iso3)["regional_group"] == group, iso3


def test_every_code_agrees_with_pycountry() -> None:
    for row in member_states():
        country = pycountry.countries.get(alpha_3=row["iso3"])
        assert country is not None, row["iso3"]
        assert country.alpha_2 == row["iso2"], row["iso3"]
        assert country.numeric == row["m49"], row["iso3"]
        assert len(row["m49"]) == 3 and row["m49"].isdigit(), row["iso3"]


def test_names_use_un_short_names() -> None:
    names = {row["name"] for row in member_states()}
    for name in (
        "Côte d'Ivoire",
        "Türkiye",
        "Viet Nam",
        "Czechia",
        "Eswatini",
        "North Macedonia",
        "Netherlands (Kingdom of the)",
        "Bolivia (Plurinational State of)",
        "Republic of Korea",
        "Democratic People's Republic of Korea",
        "United Kingdom of Great Britain and Northern Ireland",
        "Gambia (Republic of The)",
    ):
        assert name in names, name


def test_codes_and_names_are_unique() -> None:
    rows = member_states()
    for column in ("iso3", "iso2", "m49", "name"):
        values = [row[column] for row in rows]
        assert len(values) == len(set(values)), column


def test_the_six_un_languages_ship_and_arabic_is_right_to_left() -> None:
    languages = {row["code"]: row for row in read_rows("languages.csv")}
    assert set(languages) == {"ar", "zh", "en", "fr", "ru", "es"}
    for code, row in languages.items():
        assert row["name"] and row["native_name"], code
        expected = "rtl" if code == "ar" else "ltr"
        assert row["direction"] == expected, code


def test_organisation_acronyms_are_unique_and_scopes_are_known() -> None:
    organisations = read_rows("organisations.csv")
    assert 30 <= len(organisations) <= 40
    acronyms = [row["acronym"] for row in organisations]
    assert len(acronyms) == len(set(acronyms))
    for row in organisations:
        assert row["scope"] in SCOPES, row["acronym"]
        assert row["full_name"], row["acronym"]
        assert "," not in row["acronym"], row["acronym"]
        if row["acronym"] != "BWC ISU":
            assert " " not in row["acronym"], row["acronym"]


def test_required_organisations_ship() -> None:
    scopes = {row["acronym"]: row["scope"] for row in read_rows("organisations.csv")}
    required = {
        "IAEA",
        "OPCW",
        "BWC ISU",
        "INTERPOL",
        "WCO",
        "WHO",
        "WOAH",
        "UNODC",
        "EU",
        "AU",
        "OSCE",
        "OAS/CICTE",
        "CARICOM",
        "SICA",
        "ASEAN",
        "LAS",
        "UNODA",
        "UNREC",
        "UNRCPD",
        "UNLIREC",
    }
    assert required <= set(scopes), required - set(scopes)
    for acronym in ("WHO", "FAO", "IMO", "ICAO", "IAEA", "OPCW"):
        assert scopes.get(acronym) == "international", acronym
    for acronym in (
        "UNODA",
        "UNREC",
        "UNRCPD",
        "UNLIREC",
        "UNOCT",
        "CTED",
        "UNODC",
        "UNICRI",
        "BWC ISU",
    ):
        assert scopes.get(acronym) == "un_entity", acronym


def test_organisation_full_names_are_official() -> None:
    names = {row["acronym"]: row["full_name"] for row in read_rows("organisations.csv")}
    assert names["BWC ISU"] == "Biological Weapons Convention Implementation Support Unit"
    assert names["WOAH"] == "World Organisation for Animal Health"
    assert names["LAS"] == "League of Arab States"
    assert names["OAS/CICTE"] == (
        "Inter-American Committee against Terrorism of the Organization of American States"
    )


def test_reference_data_contains_no_contact_details() -> None:
    for path in REFERENCE_DIR.glob("*.csv"):
        text = path.read_text(encoding="utf-8")
        assert "@" not in text, path.name
        assert "+" not in text, path.name
