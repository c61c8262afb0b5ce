"""Small documents of each accepted kind, made here (never downloaded), and look-alikes."""

import io
import zipfile

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
HTML_AS_PDF = b"<!DOCTYPE html><html><body><script>alert(1)</script></body></html>"


def _zip(entries: list[tuple[str, bytes]], first_stored: bool = False) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for index, (name, content) in enumerate(entries):
            # a fixed time: the same call gives the same bytes (the same checksum)
            entry = zipfile.ZipInfo(name, date_time=(2026, 1, 1, 0, 0, 0))
            entry.compress_type = (zipfile.ZIP_STORED if first_stored and index == 0
                                   else zipfile.ZIP_DEFLATED)
            archive.writestr(entry, content)
    return buffer.getvalue()


def docx(text: str = "National report of an invented State") -> bytes:
    return _zip([("[Content_Types].xml", b"<Types/>"),
                 ("word/document.xml", f"<w:document>{text}</w:document>".encode())])


def odt(text: str = "Additional information") -> bytes:
    return _zip([("mimetype", b"application/vnd.oasis.opendocument.text"),
                 ("content.xml", f"<office:text>{text}</office:text>".encode())],
                first_stored=True)


def xlsx() -> bytes:
    from openpyxl import Workbook

    buffer = io.BytesIO()
    book = Workbook()
    book.active["A1"] = "Matrix line"  # type: ignore[index]
    book.save(buffer)
    return buffer.getvalue()


def plain_zip() -> bytes:
    """A zip archive that is no office document."""
    return _zip([("readme.txt", b"not a report")])
