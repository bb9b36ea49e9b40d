"""Learner progress: the only code that writes it (recording) and helpers to read it."""
