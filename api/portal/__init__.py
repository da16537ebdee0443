"""The public portal's figures: aggregates only, never a name or a text that is not public."""
