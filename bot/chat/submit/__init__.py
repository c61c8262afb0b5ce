"""A PoC sends a document in the chat: /submit (issue 16)."""
