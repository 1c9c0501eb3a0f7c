"""The disclosure catalogue (政府信息公开目录): sections, entries, guide, feeds and open data."""
