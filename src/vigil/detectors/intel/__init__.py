"""Detectors over threat intelligence: imported indicators matched against everything ingested."""
