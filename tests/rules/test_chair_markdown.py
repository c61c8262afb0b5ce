"""The Chair's Markdown as Telegram's HTML subset, e-mail text and e-mail HTML."""

import re

from hypothesis import given
from hypothesis import strategies as st

from bot.render.markdown import to_email_html, to_telegram_html, to_text

TELEGRAM_TAGS = {"b", "i", "u", "s", "a", "code", "pre", "blockquote"}
TYPED = '<b>Dual-use & "AI"</b>'


def test_html_typed_in_markdown_shows_as_typed_on_telegram() -> None:
    assert to_telegram_html(TYPED) == '&lt;b&gt;Dual-use &amp; "AI"&lt;/b&gt;'


def test_html_typed_in_markdown_shows_as_typed_in_the_email() -> None:
    assert to_email_html(TYPED) == "<p>&lt;b&gt;Dual-use &amp; &quot;AI&quot;&lt;/b&gt;</p>"
    assert to_text(TYPED) == TYPED


def test_formatting_maps_to_telegram_tags() -> None:
    markdown = ("# Quarterly message\n\n**bold** *italic* ~~struck~~ `code` "
                "[the Committee](https://www.un.org/en/sc/1540/?a=1&b=2)\n\n"
                "> a quotation\n\n```\nx < y\n```")
    assert to_telegram_html(markdown) == (
        "<b>Quarterly message</b>\n\n"
        "<b>bold</b> <i>italic</i> <s>struck</s> <code>code</code> "
        '<a href="https://www.un.org/en/sc/1540/?a=1&amp;b=2">the Committee</a>\n\n'
        "<blockquote>a quotation</blockquote>\n\n"
        "<pre>x &lt; y</pre>")


def test_lists_become_plain_lines() -> None:
    markdown = "Priorities:\n\n- national reports\n- assistance\n\n3. third\n4. fourth"
    assert to_telegram_html(markdown) == (
        "Priorities:\n\n• national reports\n• assistance\n\n3. third\n4. fourth")


def test_the_text_part_has_no_markup_and_spells_links_out() -> None:
    markdown = "**Dear colleagues**, see [our site](https://example.org/1540)."
    assert to_text(markdown) == "Dear colleagues, see our site (https://example.org/1540)."


def test_a_dangerous_link_is_not_made_a_link() -> None:
    assert "<a " not in to_telegram_html("[click](javascript:alert(1))")
    assert "<a " not in to_email_html("[click](javascript:alert(1))")


@given(st.text(alphabet=st.characters(exclude_categories=["Cs"]), max_size=200))
def test_telegram_output_only_ever_uses_its_allowed_tags(markdown: str) -> None:
    output = to_telegram_html(markdown)
    tags = set(re.findall(r"</?([a-zA-Z0-9]+)", output))
    assert tags <= TELEGRAM_TAGS
    # every < in the output opens or closes one of those tags: typed ones were escaped
    assert all(re.match(r"</?(b|i|s|a|code|pre|blockquote)[ >]", output[m.start():])
               for m in re.finditer("<", output))
