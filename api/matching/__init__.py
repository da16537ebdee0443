"""Matching: scoring, ranking and allocation of requests for support against offers."""
