"""A State's Point of Contact files an assistance request in the chat (/assist)."""
