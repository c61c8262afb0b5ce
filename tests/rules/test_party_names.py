"""State and organisation names in the six UN languages (storage.party_names): pure look-ups
over the shipped reference tables, CLDR through Babel and the UN override table."""

import csv
from importlib import resources

import pytest
from babel import Locale

from storage.parties import UN_LANGUAGES
from storage.party_names import LocalName, organisation_name, party_name, state_name


def table(filename: str) -> list[dict[str, str]]:
    text = resources.files("storage").joinpath("reference", filename).read_text("utf-8")
    return list(csv.DictReader(text.splitlines()))


MEMBER_STATES = table("member_states.csv")
ORGANISATIONS = table("organisations.csv")

# The UN's own short names (the UN Member States list in each language, UNTERM), which CLDR
# writes otherwise ("Corée du Nord", "Tanzania", "Bolivia", a typographic apostrophe...).
UN_NAMES = {
    "TUR": {"ar": "تركيا", "zh": "土耳其", "en": "Türkiye", "fr": "Türkiye", "ru": "Турция",
            "es": "Türkiye"},
    "CIV": {"ar": "كوت ديفوار", "zh": "科特迪瓦", "en": "Côte d'Ivoire", "fr": "Côte d'Ivoire",
            "ru": "Кот-д'Ивуар", "es": "Côte d'Ivoire"},
    "PRK": {"ar": "جمهورية كوريا الشعبية الديمقراطية", "zh": "朝鲜民主主义人民共和国",
            "en": "Democratic People's Republic of Korea",
            "fr": "République populaire démocratique de Corée",
            "ru": "Корейская Народно-Демократическая Республика",
            "es": "República Popular Democrática de Corea"},
    "TZA": {"ar": "جمهورية تنزانيا المتحدة", "zh": "坦桑尼亚联合共和国",
            "en": "United Republic of Tanzania", "fr": "République-Unie de Tanzanie",
            "ru": "Объединенная Республика Танзания", "es": "República Unida de Tanzanía"},
    "BOL": {"ar": "بوليفيا (دولة - المتعددة القوميات)", "zh": "多民族玻利维亚国",
            "en": "Bolivia (Plurinational State of)", "fr": "Bolivie (État plurinational de)",
            "ru": "Боливия (Многонациональное Государство)",
            "es": "Bolivia (Estado Plurinacional de)"},
}


@pytest.mark.parametrize("language", UN_LANGUAGES)
def test_every_member_state_has_a_name_in_each_un_language(language: str) -> None:
    assert len(MEMBER_STATES) == 193
    for row in MEMBER_STATES:
        name = party_name(row["iso3"], language)
        assert name.text.strip() and name.language == language, (row["iso3"], language)


def test_the_english_name_is_the_one_the_un_member_states_list_gives() -> None:
    for row in MEMBER_STATES:
        assert party_name(row["iso3"], "en") == LocalName(row["name"], "en"), row["iso3"]


@pytest.mark.parametrize("iso3", sorted(UN_NAMES))
@pytest.mark.parametrize("language", UN_LANGUAGES)
def test_the_un_short_name_wins_over_cldr(iso3: str, language: str) -> None:
    assert state_name(iso3, language).text == UN_NAMES[iso3][language]


def test_oman_is_named_in_arabic_and_chinese() -> None:
    assert party_name("OMN", "ar").text in ("عمان", "عُمان")
    assert party_name("OMN", "zh").text == "阿曼"


def test_each_override_differs_from_cldr_and_names_its_source() -> None:
    """An override equal to CLDR would hide a later CLDR correction for nothing."""
    iso2 = {row["iso3"]: row["iso2"] for row in MEMBER_STATES}
    rows = table("state_name_overrides.csv")
    assert len({(row["iso3"], row["language"]) for row in rows}) == len(rows)
    for row in rows:
        assert row["language"] in UN_LANGUAGES and row["source"].strip(), row
        cldr = Locale.parse(row["language"]).territories[iso2[row["iso3"]]]
        assert row["name"] != cldr, row


def test_every_organisation_is_named_in_each_language_it_has_a_row_for() -> None:
    acronyms = {row["acronym"] for row in ORGANISATIONS}
    rows = table("organisation_names.csv")
    for row in rows:
        assert row["acronym"] in acronyms and row["language"] in UN_LANGUAGES, row
        assert row["language"] != "en" and row["name"].strip() and row["source"].strip(), row
    assert party_name("IAEA", "ru") == LocalName("Международное агентство по атомной энергии",
                                                 "ru")
    assert organisation_name("IAEA", "ru", short=True) == LocalName("МАГАТЭ", "ru")
    assert party_name("OPCW", "en") == LocalName(
        "Organisation for the Prohibition of Chemical Weapons", "en")


def test_a_missing_translation_falls_back_to_english_and_says_so() -> None:
    # the UN writes no Arabic acronym for the IAEA: the English one, marked English
    assert organisation_name("IAEA", "ar", short=True) == LocalName("IAEA", "en")
    # a language outside the six gets English, marked English
    assert state_name("OMN", "de") == LocalName("Oman", "en")


class StaffAdded:
    code = "ZZ-FORUM"
    name = "Zeta Regional Forum"


def test_a_party_staff_added_keeps_its_stored_name_marked_english() -> None:
    assert party_name(StaffAdded(), "ar") == LocalName("Zeta Regional Forum", "en")
    with pytest.raises(KeyError):
        party_name("ZZ-FORUM", "fr")  # a bare code nobody knows is a mistake, not a name
