"""The JSON API of the web application (django-ninja, /api/v1/, OpenAPI at /api/v1/openapi.json)."""
