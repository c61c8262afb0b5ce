"""Which databases the specs run on: SQLite always, PostgreSQL when OUTREACH_TEST_POSTGRES_URL
names a server (CI always sets it)."""

import os

POSTGRES_ENV = "OUTREACH_TEST_POSTGRES_URL"
BACKENDS = ["sqlite", *(["postgresql"] if os.environ.get(POSTGRES_ENV) else [])]
if os.environ.get("CI") and "postgresql" not in BACKENDS:
    raise RuntimeError(f"CI must run the suite on PostgreSQL too: set {POSTGRES_ENV}")

# Tables a test may write; reference tables are reloaded rather than emptied.
WRITABLE_TABLES = ("telegram_state", "chair_message_body", "chair_message", "event_month_tally",
                   "event_organiser", "event_audience", "event", "reminder_pause", "poc_reply",
                   "reminder_cycle", "reminder_policy", "delivery", "outbox_message",
                   "poc_invitation", "poc_email", "poc", "submission", "staff_member",
                   "audit_entry")
