"""Site-wide pages: health check and language choice."""
