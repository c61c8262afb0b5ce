"""Every word a person reads, per area and language: templates/<area>/<language>/<file>."""
