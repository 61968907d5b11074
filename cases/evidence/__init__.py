"""Evidence: files and links attached to a case, stored once under their SHA-256 and checked on a schedule
against it."""
