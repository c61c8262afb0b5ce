"""/log: an outreach event typed on one line, or logged question by question."""
