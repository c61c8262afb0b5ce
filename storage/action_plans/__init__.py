"""Voluntary National Implementation Action Plans in preparation (seed paper, section 4.6)."""
