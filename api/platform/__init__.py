"""Platform settings the Secretariat changes at run time (defaults that are data, not code)."""
