"""Sign-in and logon events of identity providers and Windows, into the ``signins`` table."""
