"""Sign-in, sign-out, password changes and role checks."""
