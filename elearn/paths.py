"""Where the project's own files are, independent of the working directory."""

from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent
PROJECT_DIR = PACKAGE_DIR.parent
MIGRATIONS_DIR = PROJECT_DIR / "migrations"
DATA_DIR = PACKAGE_DIR / "data"
