"""What staff type in Telegram becomes Markdown that renders back to what they typed: their
bold, italic and links kept, every other character shown as typed, never read as markup."""

import html

from hypothesis import given
from hypothesis import strategies as st

from bot.chat.chair.markdown import markdown_of
from bot.render.markdown import to_email_html, to_telegram_html, to_text


def test_bold_italic_links_and_line_breaks_survive_the_round_trip() -> None:
    typed = ('Dear <b>colleagues</b>,\nsee <a href="https://example.org/1540?a=1&amp;b=2">the '
             '<i>Committee\'s</i> site</a>.\n\nWith <s>old</s> <u>regards</u>, <code>x*y</code>')
    markdown = markdown_of(typed)
    assert to_telegram_html(markdown) == (
        'Dear <b>colleagues</b>,\nsee <a href="https://example.org/1540?a=1&amp;b=2">the '
        "<i>Committee's</i> site</a>.\n\nWith <s>old</s> regards, <code>x*y</code>")
    assert "<strong>colleagues</strong>,<br />" in to_email_html(markdown)
    assert to_text(markdown) == ("Dear colleagues,\nsee the Committee's site "
                                 "(https://example.org/1540?a=1&b=2).\n\nWith old regards, x*y")


def test_markup_typed_as_plain_text_stays_text() -> None:
    typed = '<b>Dual-use & "AI"</b> *not bold* _nor this_ [x](y) `z` &amp;'
    markdown = markdown_of(html.escape(typed, quote=False))
    assert to_text(markdown) == typed
    assert to_telegram_html(markdown) == html.escape(typed, quote=False)
    assert "<strong>" not in to_email_html(markdown) and "<b>" not in to_email_html(markdown)


def test_line_starts_that_markdown_would_read_as_structure_stay_text() -> None:
    typed = "# not a heading\n- not a list\n1. nor this\n> nor a quote\n===\n+ plus"
    assert to_text(markdown_of(html.escape(typed, quote=False))) == typed


def test_spaces_inside_bold_move_outside_and_quotes_and_code_blocks_are_kept() -> None:
    markdown = markdown_of("<b>bold </b>word <blockquote>quoted\nlines</blockquote>"
                           '<pre><code class="language-text">a *b*\n  c</code></pre>')
    telegram = to_telegram_html(markdown)
    assert telegram.startswith("<b>bold</b> word")
    assert "<blockquote>quoted\nlines</blockquote>" in telegram
    assert "<pre>a *b*\n  c</pre>" in telegram


_LINE = st.text(alphabet=st.sampled_from(
    [*"abcXYZ019 \\`*_{}[]<>()#+-.!|~&;:'\"/=^%$@?,", "é", "ع", "中"]),
    min_size=1, max_size=30).map(str.strip).filter(bool)


@given(st.lists(_LINE, min_size=1, max_size=4))
def test_any_plain_text_renders_back_to_itself(lines: list[str]) -> None:
    typed = "\n".join(lines)
    markdown = markdown_of(html.escape(typed, quote=False))
    assert to_text(markdown) == typed
    assert to_telegram_html(markdown) == html.escape(typed, quote=False)
