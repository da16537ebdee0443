"""Matches: the lifecycle, two-party consent, staged disclosure, facilitation, timeline and notifications."""
