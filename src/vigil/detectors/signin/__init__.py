"""Identity detectors: password guessing, compromise, travel, MFA abuse, legacy protocols."""
