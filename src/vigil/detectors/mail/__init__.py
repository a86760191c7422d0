"""Detectors over e-mail: hijacked trusted senders, spoofing, malicious links and lures."""
