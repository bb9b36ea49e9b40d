"""The JSON API (/api/v1): the same service functions as the pages."""
