"""A recipients table too long for one Telegram message (/chair preview, /chair audience)
says how many lines it leaves out and where to see them all, instead of a bare "…"."""

from bot.chat.chair.calls import with_table
from bot.chat.common import MESSAGE_LIMIT


def test_a_cut_table_says_how_many_lines_are_missing() -> None:
    lines = [f"  PoC {number} (KEN, sw)" for number in range(1, 601)]
    table = "\n".join(["In English because their language has no version (600):", *lines])

    text = with_table("recipients", table, message_id=3, state="draft", when=None,
                      missing_english=False)

    assert len(text) <= MESSAGE_LIMIT
    shown = sum(1 for line in lines if f"{line}\n" in text)
    assert shown > 100
    assert f"…and {600 - shown} more lines (outreach chair preview 3 --out DIR shows them all)" \
        in text


def test_a_table_that_fits_is_shown_whole() -> None:
    table = "Language  E-mail\nen             2"
    text = with_table("recipients", table, message_id=3, state="draft", when=None,
                      missing_english=False)
    assert table in text and "more lines" not in text
