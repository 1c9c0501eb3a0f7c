"""Organisations, taxonomies, index numbers, disclosure metadata, working-day calendar."""
