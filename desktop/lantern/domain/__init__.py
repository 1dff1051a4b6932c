"""Plain data types and typed errors shared by every layer. No I/O here."""
