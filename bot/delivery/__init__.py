"""The outbox's dispatcher: claim what is due, send it through its channel, record the outcome."""
