"""Helpers for the specs: fakes at the edges, sinks, personas, a running service. No specs."""
