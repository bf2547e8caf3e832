"""Receipt files: only PDF, PNG or JPEG, recognised by their first bytes, up to 5 MB.

A file's name can say anything; its first bytes (its "magic number") say what it is. We check
both, and the file is refused before anything is stored.
"""

from __future__ import annotations

from dataclasses import dataclass

MAX_RECEIPT_BYTES = 5 * 1024 * 1024


@dataclass(frozen=True)
class ReceiptType:
    extension: str
    content_type: str
    magic: bytes
    extensions: tuple[str, ...]


RECEIPT_TYPES = (
    ReceiptType("pdf", "application/pdf", b"%PDF-", ("pdf",)),
    ReceiptType("png", "image/png", b"\x89PNG\r\n\x1a\n", ("png",)),
    ReceiptType("jpg", "image/jpeg", b"\xff\xd8\xff", ("jpg", "jpeg")),
)
CONTENT_TYPES = {t.content_type: t for t in RECEIPT_TYPES}


class ReceiptError(ValueError):
    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code


TOO_BIG = "too_big"
EMPTY = "empty"
WRONG_TYPE = "wrong_type"


def receipt_type(name: str, head: bytes, size: int) -> ReceiptType:
    """What kind of receipt this is, or ReceiptError. `head` is the file's first bytes."""
    if size <= 0:
        raise ReceiptError(EMPTY)
    if size > MAX_RECEIPT_BYTES:
        raise ReceiptError(TOO_BIG)
    extension = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    for kind in RECEIPT_TYPES:
        if head.startswith(kind.magic):
            if extension not in kind.extensions:
                raise ReceiptError(WRONG_TYPE)
            return kind
    raise ReceiptError(WRONG_TYPE)


def sniff_upload(upload) -> ReceiptType:
    """Check an uploaded file (Django's UploadedFile) without storing it."""
    upload.seek(0)
    head = upload.read(16)
    upload.seek(0)
    return receipt_type(upload.name or "", head, upload.size or 0)


# Tiny valid files for the demo and tests.
TINY_PNG = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00"
    b"\x1f\x15\xc4\x89\x00\x00\x00\rIDATx\x9cc\xf8\xff\xff?\x00\x05\xfe\x02\xfe\xa7\x35\x81\x84"
    b"\x00\x00\x00\x00IEND\xaeB`\x82"
)
TINY_PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
    b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 200 200]>>endobj\n"
    b"trailer<</Root 1 0 R>>\n%%EOF\n"
)
