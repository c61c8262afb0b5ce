"""The Committee's matrices (seed paper, section 4.3): each State's matrix by version."""
