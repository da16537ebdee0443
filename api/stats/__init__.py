"""Stocktaking figures for the Secretariat."""
