"""The import's quick path for plain e-mail addresses accepts, refuses and normalises each
address exactly as email-validator does on its own (storage/imports/contact_fields.py)."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from storage.imports.contact_fields import (
    InvalidValue,
    _checked_address,
    _plain_address,
    normalise_emails,
)

LOCAL_CHARACTERS = "abcXYZ019.!#$%&'*+/=?^_`{|}~-\"@ ()<>[]\\éü"
DOMAIN_CHARACTERS = "abcXYZ019.-_é@[] "
DOMAINS = ["example.org", "EXAMPLE.org", "mfa.gov.example", "localhost", "example.invalid",
           "x.test", "a-.example.org", "-a.example.org", "a..example.org", "example.org.",
           "xn--bcher-kva.example", "123.example", "example.123", "[192.0.2.1]",
           "b" * 63 + ".example.org", "c" * 64 + ".example.org",
           ".".join(["d" * 60] * 4) + ".org"]

addresses = st.one_of(
    st.builds(lambda local, domain: f"{local}@{domain}",
              st.text(LOCAL_CHARACTERS, min_size=0, max_size=70),
              st.one_of(st.sampled_from(DOMAINS),
                        st.text(DOMAIN_CHARACTERS, min_size=0, max_size=20))),
    st.text(LOCAL_CHARACTERS + DOMAIN_CHARACTERS, max_size=40),
)


def validator_says(address: str) -> str:
    try:
        return _checked_address(address).lower()
    except InvalidValue as error:
        return f"refused: {error.params['reason']}"


def import_says(address: str) -> str:
    try:
        return ";".join(normalise_emails(address))
    except InvalidValue as error:
        return f"refused: {error.params.get('reason', error.code)}"


@settings(max_examples=1500, deadline=None)
@given(addresses)
def test_the_quick_path_agrees_with_email_validator(address: str) -> None:
    quick = _plain_address(address)
    if quick is not None:
        assert quick == _checked_address(address)
    if address.strip() and not any(mark in address for mark in ";,"):
        assert import_says(address.strip()) == validator_says(address.strip())


@pytest.mark.parametrize("address", [
    "Claire.Martin@Example.ORG", "w.otieno@mfa.go.example", "x@localhost", "x@example.invalid",
    "a..b@example.org", ".a@example.org", "a.@example.org", "a@-example.org",
    "müller@example.org", "a@bücher.example", f"{'l' * 64}@example.org",
    f"{'l' * 65}@example.org", f"a@{'b' * 63}.example.org", f"a@{'b' * 64}.example.org",
    f"{'l' * 60}@{'.'.join(['d' * 60] * 3)}.org", f"{'l' * 64}@{'.'.join(['d' * 60] * 3)}.org",
])
def test_chosen_addresses_are_decided_as_email_validator_decides(address: str) -> None:
    assert import_says(address) == validator_says(address)


def test_a_plain_address_takes_the_quick_path() -> None:
    assert _plain_address("Claire.Martin@Example.ORG") == "Claire.Martin@example.org"
    assert _plain_address("müller@example.org") is None  # left to email-validator
