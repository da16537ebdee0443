"""Progress reports: schedules, drafting, attestation, review, publication of excerpts."""
