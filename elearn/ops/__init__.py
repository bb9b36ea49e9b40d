"""Running elearn in production: logs, metrics, backups and the doctor's checks."""
