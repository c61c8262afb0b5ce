"""The outbox's dispatcher and the composition of each message a PoC receives."""
