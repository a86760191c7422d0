"""E-mail: RFC 5322 messages from .eml files, mbox files and Maildir folders, into ``emails``."""
