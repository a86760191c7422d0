"""vigil: find state-backed cyber and influence operations aimed at elections."""

__version__ = "0.1.0"
