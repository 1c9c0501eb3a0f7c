"""Chinese full-text search (全文检索) over the catalogue, on the database or a search engine."""
