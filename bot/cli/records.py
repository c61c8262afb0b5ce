"""Registry rows as the flat records the CLI lists and exports (stable keys, see README)."""

from typing import Any

from storage.imports.pocs import file_row
from storage.parties import Party
from storage.pocs import PocView
from storage.submissions import Submission

STATE_COLUMNS = ("code", "iso2", "m49", "name", "regional_group", "electoral_group",
                 "observer_in", "also_participates_in")
ORG_COLUMNS = ("acronym", "name", "scope", "active_pocs")
POC_COLUMNS = ("id", "party", "party_name", "role", "full_name", "title", "agency", "emails",
               "phone", "telegram", "language", "timezone", "status", "date_notified",
               "date_verified", "region")
# The export has the import's columns, so an exported file imports back unchanged.
POC_FILE_COLUMNS = ("party", "role", "full_name", "title", "agency", "email", "phone",
                    "telegram", "language", "timezone", "status", "date_notified",
                    "date_verified", "region")
SUBMISSION_COLUMNS = ("id", "state", "state_name", "kind", "date", "symbol", "note")
SUBMISSION_FILE_COLUMNS = ("state", "kind", "date", "symbol", "note")
EVENT_FILE_COLUMNS = ("start_date", "end_date", "title", "city", "country", "mode", "type",
                      "organisers", "iro_involvement", "audiences", "participants",
                      "committee_role", "source_url", "notes", "lead_body")


def state_record(party: Party) -> dict[str, Any]:
    return {
        "code": party.code, "iso2": party.iso2, "m49": party.m49, "name": party.name,
        "regional_group": party.regional_group, "electoral_group": party.electoral_group,
        "observer_in": party.observer_in, "also_participates_in": party.also_participates_in,
    }


def org_record(party: Party, active_pocs: int) -> dict[str, Any]:
    return {"acronym": party.code, "name": party.name, "scope": party.scope,
            "active_pocs": active_pocs}


def poc_record(view: PocView) -> dict[str, Any]:
    row: dict[str, Any] = dict(file_row(view))
    for column in ("date_notified", "date_verified"):
        row[column] = row[column] or None
    return row | {"id": view.poc.id, "party_name": view.party.name, "emails": list(view.emails)}


def submission_record(submission: Submission, party: Party) -> dict[str, Any]:
    return {
        "id": submission.id, "state": party.code, "state_name": party.name,
        "kind": submission.kind, "date": submission.submitted_on.isoformat(),
        "symbol": submission.symbol, "note": submission.note,
    }
