"""Ingest: one adapter per real format, each turning a file into rows of one normalized table."""
