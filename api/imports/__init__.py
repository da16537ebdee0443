"""Bulk imports: reading uploaded CSV, XLSX and JSON files into rows, and building the templates to fill in.

`parsing` turns a file into text rows and text cells into typed values; `templates` builds the blank files
offered for download. Both are pure (no database), so the import service decides what a row means.
"""
