"""The data: tables (one module per aggregate), sessions, migrations, reference data, figures.

This package imports nothing else of ours; `scheduler` and `bot` depend on it, never the reverse.
"""
