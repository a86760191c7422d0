"""Detect: the detector API and registry, the engines, and the runner that turns rows into findings."""
