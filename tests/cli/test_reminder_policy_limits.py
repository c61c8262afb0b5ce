"""`outreach reminders add` refuses what its columns cannot hold, saying the limit, instead of
a database error on PostgreSQL (or a policy that silently reminds nobody)."""

import json

from tests.support.cli import Invoke

POLICY = ("--target", "no_first_report", "--template", "reminder_first_report", "--every", "30")


def names(outreach: Invoke) -> list[str]:
    return [p["name"] for p in json.loads(
        outreach("reminders", "policies", "--format", "json").output)]


def test_a_name_of_80_characters_is_taken_and_a_longer_one_refused(outreach: Invoke) -> None:
    longest = "n" * 80
    assert outreach("reminders", "add", longest, *POLICY).exit_code == 0

    refused = outreach("reminders", "add", "m" * 81, *POLICY)

    assert refused.exit_code == 2
    assert "name is longer than 80 characters" in refused.stderr
    assert names(outreach) == [longest]


def test_an_empty_or_unprintable_name_is_refused(outreach: Invoke) -> None:
    for name in ("", "   ", "two\nlines"):
        refused = outreach("reminders", "add", name, *POLICY)
        assert refused.exit_code == 2, name
        assert "name" in refused.stderr
    assert names(outreach) == []


def test_an_unknown_group_is_refused_with_the_known_ones(outreach: Invoke) -> None:
    for group in ("XYZ", "GRULAC-AND-WEOG-TOGETHER"):
        refused = outreach("reminders", "add", f"policy-{group}", *POLICY, "--group", group)
        assert refused.exit_code == 1, group
        assert f'Unknown regional group "{group}"' in refused.stderr
        assert "AFR, APG, EEG, GRULAC, WEOG" in refused.stderr
    assert names(outreach) == []
