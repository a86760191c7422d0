"""Errors a user sees as one clear line (the CLI prints them without a traceback)."""


class VigilError(Exception):
    """A problem the user can fix: a missing path, an unknown format, a bad setting."""
