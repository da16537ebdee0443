"""The knowledge base: projects, good practices, tools, news and events in EN/FR/ES, their review and
publication, full-text search with facets, related items, and turning closed matches into drafts."""
