"""Alembic migrations of the Werklandschap schema (run with `werklandschap db upgrade`)."""
