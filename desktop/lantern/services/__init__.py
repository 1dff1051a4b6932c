"""Services: what the GUI and the CLI call (session, records, users, audit, ...)."""
