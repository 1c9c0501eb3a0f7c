"""Quarterly request statistics and the annual report (年度报告), published on schedule."""
