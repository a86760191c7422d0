"""Threat intelligence: indicator feeds (STIX 2.1 bundles, Meta threat-report files)."""
