"""The detectors, one file each, grouped by telemetry. Every module here is imported by the registry."""
