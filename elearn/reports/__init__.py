"""Completion reports for managers: aggregates in SQL, always scoped to the caller's units."""
