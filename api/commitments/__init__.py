"""What support requests and support offers share: workflow, schemas, validation, visibility, search."""
