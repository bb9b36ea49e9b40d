"""Certificates of completion: a public verification page and the owner's PDF."""
