"""Social media: posts and accounts from research exports (CSV, JSON lines)."""
