"""Peer reviews between States (seed paper, section 4.7): one record per review."""
