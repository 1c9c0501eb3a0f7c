"""Checks on files uploaded to the document library, run before Wagtail stores them.

A site enables them with
``WAGTAILDOCS_DOCUMENT_FORM_BASE = "opengov_cms.core.uploads.DocumentForm"``; every
upload path of the Wagtail admin (the library, multiple upload, the chooser) builds its form
from that base, so a file that fails is refused with a message and nothing is written.
"""

import os

from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _
from wagtail.documents.forms import BaseDocumentForm

from opengov_cms.conf import opengov_settings

DOCUMENT_FORM_BASE = "opengov_cms.core.uploads.DocumentForm"

ZIP = (b"PK\x03\x04",)
# Compound File Binary: the container of .doc, .xls and WPS Office's .wps / .et.
OLE = (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1",)

#: What the first bytes of a file of each type must be. A type not listed here is accepted
#: on its extension alone, except that text types must be text.
SIGNATURES = {
    "pdf": (b"%PDF-",),
    "ofd": ZIP,
    "docx": ZIP,
    "xlsx": ZIP,
    "pptx": ZIP,
    "zip": ZIP,
    "doc": OLE,
    "xls": OLE,
    "ppt": OLE,
    "wps": OLE + ZIP,
    "et": OLE + ZIP,
    "png": (b"\x89PNG\r\n\x1a\n",),
    "jpg": (b"\xff\xd8\xff",),
    "jpeg": (b"\xff\xd8\xff",),
}
TEXT_TYPES = {"txt", "csv"}
TEXT_ENCODINGS = ("utf-8", "gb18030")


def extension_of(name):
    return os.path.splitext(name or "")[1].lstrip(".").lower()


def _head(upload, size):
    position = upload.tell() if hasattr(upload, "tell") else None
    upload.seek(0)
    data = upload.read(size)
    upload.seek(position or 0)
    return data


def validate_document_upload(upload):
    """Raise ValidationError, in words an editor can act on, when the file's type, size or
    content is not what the site accepts."""
    allowed = [extension.lower() for extension in opengov_settings.DOCUMENT_EXTENSIONS]
    extension = extension_of(upload.name)
    if extension not in allowed:
        raise ValidationError(
            _("不能上传“.%(extension)s”类型的文件。可以上传的类型：%(allowed)s。")
            % {"extension": extension or "?", "allowed": "、".join(allowed)},
            code="extension",
        )
    max_size = opengov_settings.DOCUMENT_MAX_SIZE
    if max_size and upload.size > max_size:
        raise ValidationError(
            _("文件太大（%(size)s），不能超过 %(max)s。请压缩或拆分后再上传。")
            % {"size": filesizeformat(upload.size), "max": filesizeformat(max_size)},
            code="size",
        )
    signatures = SIGNATURES.get(extension)
    if signatures and not _head(upload, 16).startswith(signatures):
        raise ValidationError(
            _("文件内容不是 %(type)s 格式，可能是扩展名被改过或文件已损坏。请用原文件重新上传。")
            % {"type": extension.upper()},
            code="content",
        )
    if extension in TEXT_TYPES and not _is_text(_head(upload, 64 * 1024)):
        raise ValidationError(
            _("文件不是文本文件（%(type)s），请检查后重新上传。") % {"type": extension.upper()},
            code="content",
        )


def _is_text(data):
    if b"\x00" in data:
        return False
    for encoding in TEXT_ENCODINGS:
        try:
            # The sample may end inside a multi-byte character.
            data.decode(encoding)
            return True
        except UnicodeDecodeError as error:
            if error.start >= len(data) - 4:
                return True
    return False


class DocumentForm(BaseDocumentForm):
    """Wagtail's document form, refusing files the site does not accept before they are stored."""

    def clean_file(self):
        upload = self.cleaned_data.get("file")
        # An unchanged file on an edit form is the stored one; only new uploads are checked.
        if upload and "file" in self.changed_data:
            validate_document_upload(upload)
        return upload
