"""The formula guard's rule: guarded text never starts a formula, and unguarding gives back
exactly what was guarded, whatever the text (storage/imports/formula_guard.py)."""

from hypothesis import given
from hypothesis import strategies as st

from storage.imports.formula_guard import guard, unguard

RISKY = ("=", "+", "-", "@", "\t", "\r")
# text that often starts with apostrophes and the characters the guard is about
tricky = st.text(st.sampled_from(["'", *RISKY, "a", " ", "1"]), max_size=8) | st.text()


@given(tricky)
def test_unguard_gives_back_what_guard_was_given(value: str) -> None:
    assert unguard(guard(value)) == value


@given(tricky)
def test_guarded_text_never_starts_with_a_formula_character(value: str) -> None:
    assert not guard(value).startswith(RISKY)


@given(tricky)
def test_text_that_cannot_be_taken_for_a_guard_is_written_as_it_is(value: str) -> None:
    if not value.lstrip("'").startswith(RISKY):
        assert guard(value) == value
        assert unguard(value) == value


def test_the_documented_examples() -> None:
    assert guard("=1+1") == "'=1+1"
    assert guard("'=1+1") == "''=1+1"
    assert unguard("''=1+1") == "'=1+1"
    assert guard("O'Brien") == "O'Brien"
    assert unguard("'plain") == "'plain"
