"""Organisations, taxonomies, index numbers, disclosure metadata and the working-day calendar (基础数据)."""
