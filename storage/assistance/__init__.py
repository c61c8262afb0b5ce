"""Assistance: requests, providers, offers and matches (seed paper, section 5)."""
