"""The translators' catalogue (templates/locale/): in step with the templates, complete in
every language its readers need, and never silently English.

When a spec here fails on a new or changed word: `outreach translations extract` writes it
into the .pot and every .po; fill the msgstr of each language; `outreach translations check`
lists what is still missing.
"""

from pathlib import Path

import pytest
from babel.messages.pofile import read_po, write_po

from bot.render import catalogue
from bot.render.catalogue_extract import source_catalog
from bot.render.templates import environment, render


@pytest.mark.parametrize("domain", catalogue.domains())
def test_each_catalogue_holds_exactly_the_words_its_templates_mark(domain: str) -> None:
    with (catalogue.LOCALE / f"{domain}.pot").open("rb") as source:
        committed = {message.id for message in read_po(source) if message.id}
    marked = {message.id for message in source_catalog(domain) if message.id}
    assert marked - committed == set(), "run `outreach translations extract`"
    assert committed - marked == set(), "run `outreach translations extract`"


def test_every_word_a_poc_or_reader_sees_has_every_language() -> None:
    missing = [f"{m.language} {m.domain}: {m.message!r}" for m in catalogue.missing()]
    assert missing == [], "untranslated:\n" + "\n".join(missing)


def test_the_check_lists_a_word_that_a_language_lacks_or_has_fuzzy(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    domain = catalogue.domains()[0]
    locale = tmp_path / "locale"
    (locale / "fr" / "LC_MESSAGES").mkdir(parents=True)
    (locale / f"{domain}.pot").write_bytes((catalogue.LOCALE / f"{domain}.pot").read_bytes())
    with catalogue.po_path("fr", domain).open("rb") as source:
        french = read_po(source, locale="fr")
    first, second = [message for message in french if message.id][:2]
    first.string = ""
    second.flags.add("fuzzy")
    with (locale / "fr" / "LC_MESSAGES" / f"{domain}.po").open("wb") as target:
        write_po(target, french)
    monkeypatch.setattr(catalogue, "LOCALE", locale)
    found = {(m.language, m.message) for m in catalogue.missing({domain: ("en", "fr")})}
    assert found == {("fr", first.id), ("fr", second.id)}


def test_an_untranslated_word_in_a_page_is_marked_english_and_nowhere_else() -> None:
    """German has no catalogue: every word of the page falls back, marked for screen
    readers; the same fallback in a Telegram text carries no markup Telegram would refuse."""
    page = render("web/unsubscribe.html.j2", "de", state="done")
    assert '<span lang="en" dir="ltr">Done: you will no longer receive' in page
    telegram = environment("de").from_string(
        "{% autoescape true %}{% trans %}Stop these e-mails{% endtrans %}{% endautoescape %}")
    telegram.name = "telegram/en/poc.html.j2"
    assert telegram.render() == "Stop these e-mails"


def test_dates_and_numbers_are_written_as_each_language_writes_them() -> None:
    from datetime import date

    day = date(2022, 4, 15)
    template = "{{ day|long_date }} · {{ 12345|number }} · {{ 0.82|percent }}"
    assert environment("en").from_string(template).render(day=day) == \
        "15 April 2022 · 12,345 · 82%"
    assert environment("fr").from_string(template).render(day=day) == \
        "15 avril 2022 · 12\u202f345 · 82\u00a0%"
    assert environment("zh").from_string(template).render(day=day).startswith("2022年4月15日")
    assert environment("ar").from_string(template).render(day=day).startswith("15 أبريل 2022")


@pytest.mark.parametrize("language", ["ar", "zh", "en", "fr", "ru", "es"])
def test_a_poc_reads_the_same_date_in_chat_on_the_web_and_in_the_report(language: str) -> None:
    """One writer of dates (Babel, CLDR): no template spells months by hand any more."""
    from datetime import date

    from bot.render.templates import long_date, macro

    written = long_date(date(2027, 4, 6), language)
    chat = macro("telegram/replies.j2", "thanks_snooze", language, until="2027-04-06")
    page = render("web/reply.html.j2", language, state="snooze", until="2027-04-06")
    assert written in chat and written in page
    assert "نيسان" not in chat + page  # the Levantine month name the templates once used


def test_the_staff_chat_requires_french_but_not_the_other_four_languages(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A French word missing from the staff chat fails the check; Arabic words missing do not
    (staff who chose Arabic read English there): REQUIRED_LANGUAGES["chat"]."""
    locale = tmp_path / "locale"
    (locale / "chat.pot").parent.mkdir(parents=True)
    (locale / "chat.pot").write_bytes((catalogue.LOCALE / "chat.pot").read_bytes())
    emptied = {}
    for language in ("fr", "ar"):
        with catalogue.po_path(language, "chat").open("rb") as source:
            words = read_po(source, locale=language)
        first = next(message for message in words if message.id)
        first.string = ""
        emptied[language] = first.id
        (locale / language / "LC_MESSAGES").mkdir(parents=True)
        with (locale / language / "LC_MESSAGES" / "chat.po").open("wb") as target:
            write_po(target, words)
    monkeypatch.setattr(catalogue, "LOCALE", locale)
    assert {(m.language, m.message) for m in catalogue.missing()} == {("fr", emptied["fr"])}


def test_two_areas_may_translate_the_same_english_differently_and_each_keeps_its_own(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A staff menu and a PoC's menu both say "Show the commands you can use"; the French
    translators chose different words for each, and each page reads its own area's."""
    from functools import cache

    from babel.messages.catalog import Catalog

    locale = tmp_path / "locale"
    (locale / "fr" / "LC_MESSAGES").mkdir(parents=True)
    for domain, french in (("staffarea", "Afficher vos commandes"),
                           ("pocarea", "Les commandes disponibles")):
        (locale / f"{domain}.pot").write_text("")
        po = Catalog(locale="fr", domain=domain)
        po.add("Show the commands you can use", french)
        with (locale / "fr" / "LC_MESSAGES" / f"{domain}.po").open("wb") as target:
            write_po(target, po)
    monkeypatch.setattr(catalogue, "LOCALE", locale)
    monkeypatch.setattr(catalogue, "catalogue", cache(catalogue.catalogue.__wrapped__))
    source = "{{ _('Show the commands you can use') }}"
    words = {}
    for domain in ("staffarea", "pocarea"):
        template = environment("fr").from_string(source)
        template.name = f"{domain}/en/menu.html.j2"
        words[domain] = template.render()
    assert words == {"staffarea": "Afficher vos commandes",
                     "pocarea": "Les commandes disponibles"}
