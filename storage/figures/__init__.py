"""The figures the Committee publishes, as SQL aggregates: reporting status and statistics."""
