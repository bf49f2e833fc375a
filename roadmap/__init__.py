"""The programme level: vocabularies of the national registry, phases, target and progress.

Pure Python: no Flask, no database. The web app and the ingest import from here, never the
other way round.
"""
