"""What a received file is, read from its bytes (never from its name).

PDF: starts with "%PDF-". DOCX and XLSX: a zip archive holding [Content_Types].xml and
word/document.xml (DOCX) or xl/workbook.xml (XLSX). ODT: a zip archive whose first entry is
"mimetype", stored, holding exactly "application/vnd.oasis.opendocument.text" (ODF 1.2,
part 3, section 3.3). Anything else, a zip that is none of these (an .xlsm's macros are
still an .xlsx workbook's entries, so it is taken: nothing is ever opened or run), an HTML
page named .pdf, is refused. Pure: bytes in, a type or None out.
"""

import io
import zipfile

from storage.inbox.model import DocumentType

ODT_MIMETYPE = b"application/vnd.oasis.opendocument.text"


def _zip_type(content: bytes) -> DocumentType | None:
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            entries = archive.infolist()
            names = {entry.filename for entry in entries}
            if entries and entries[0].filename == "mimetype":
                if archive.read(entries[0]).strip() == ODT_MIMETYPE:
                    return DocumentType.ODT
                return None
            if "[Content_Types].xml" not in names:
                return None
            if "word/document.xml" in names:
                return DocumentType.DOCX
            if "xl/workbook.xml" in names:
                return DocumentType.XLSX
    except (zipfile.BadZipFile, ValueError, OSError, NotImplementedError):
        return None
    return None


def detect(content: bytes) -> DocumentType | None:
    """The accepted type of `content`, or None when it is none of them."""
    if content.startswith(b"%PDF-"):
        return DocumentType.PDF
    if content.startswith(b"PK\x03\x04"):
        return _zip_type(content)
    return None
