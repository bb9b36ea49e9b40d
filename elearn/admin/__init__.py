"""Administration: units, users, imports, assignments and the audit log."""
