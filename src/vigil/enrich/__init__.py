"""Enrich: side-effect-free functions that derive columns and tables from the ingested records."""
