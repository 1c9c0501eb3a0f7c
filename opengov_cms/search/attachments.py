"""Plain text of attached PDF and DOCX files, for the search index.

Extraction runs inside the indexing job, never in the editor's request. PDF needs pypdf
(the ``attachments`` extra); without it, or for a broken or encrypted file, an attachment
adds no text and indexing goes on.
"""

import io
import logging
import os

logger = logging.getLogger(__name__)

#: Text taken from one attachment at most; a whole book adds little to finding it.
MAX_ATTACHMENT_TEXT = 50_000
#: Larger files are not read at all.
MAX_ATTACHMENT_BYTES = 20 * 1024 * 1024


def _pdf_text(data):
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(data))
    if reader.is_encrypted:
        return ""
    parts, length = [], 0
    for page in reader.pages:
        text = page.extract_text() or ""
        parts.append(text)
        length += len(text)
        if length >= MAX_ATTACHMENT_TEXT:
            break
    return "\n".join(parts)


def _docx_text(data):
    import docx

    document = docx.Document(io.BytesIO(data))
    parts = [paragraph.text for paragraph in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            parts.append(" ".join(cell.text for cell in row.cells))
    return "\n".join(parts)


EXTRACTORS = {".pdf": _pdf_text, ".docx": _docx_text}


def extract_text(file, name=None):
    """The text of a PDF or DOCX file (a path, or a file object such as a FileField's).

    Never raises for a bad file: anything else, a missing library or an unreadable file
    gives "".
    """
    name = name or getattr(file, "name", None) or str(file)
    extractor = EXTRACTORS.get(os.path.splitext(str(name))[1].lower())
    if extractor is None:
        return ""
    try:
        if isinstance(file, (str, os.PathLike)):
            with open(file, "rb") as handle:
                data = handle.read(MAX_ATTACHMENT_BYTES + 1)
        else:
            if hasattr(file, "open"):
                file.open("rb")
            try:
                data = file.read(MAX_ATTACHMENT_BYTES + 1)
            finally:
                if hasattr(file, "close"):
                    file.close()
        if len(data) > MAX_ATTACHMENT_BYTES:
            logger.warning("attachment %s is too large to index", name)
            return ""
        return extractor(data)[:MAX_ATTACHMENT_TEXT]
    except ImportError:
        logger.warning("cannot read %s: install opengov-cms[attachments]", name)
        return ""
    except Exception:
        # A broken upload must not stop the page, or the rest of a rebuild, being indexed.
        logger.warning("cannot read the text of attachment %s", name, exc_info=True)
        return ""
