"""Web pages: saved HTML files and WARC web archives, into the ``pages`` table."""
