"""People: the fields of an account, the checks every path applies to them, and the only code
that creates and changes accounts (the admin form, the CLI, the people import)."""
