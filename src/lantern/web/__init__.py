"""Base templates, static files (vendored, offline), sign-in and shared middleware."""
