"""What every CSV and XLSX file the package writes shares: no cell is read as a formula.

A spreadsheet program runs a cell that starts with ``=``, ``+``, ``-`` or ``@`` (and, in some,
a tab or a carriage return) as a formula: a title typed by an editor or an applicant, or a
value from an imported file, could then fetch a URL or run a command when an official opens
the download (CSV injection). Such a text is written with a leading apostrophe, which the
spreadsheet shows as the text it is.
"""

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value):
    """``value`` as a cell that is never a formula: a text starting like one gets a leading
    apostrophe; numbers, dates and other texts are left as they are."""
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


def cell_text(value):
    """``value`` as the text of a cell that is never a formula."""
    return neutralise(str(value))


class SafeSpreadsheetExportMixin:
    """For Wagtail's listing and report views with CSV / XLSX downloads (``list_export``):
    every value goes through :func:`neutralise`."""

    def preprocess_field_value(self, field, value, export_format):
        return neutralise(super().preprocess_field_value(field, value, export_format))
