"""Disclosure on request (依申请公开): the application form, the statutory clock, staff workflow."""
