"""Small hostile XLSX files, made by hand part by part (openpyxl would not write them).

Each is a real zip with the parts a spreadsheet needs; only the sheet (and the shared
strings) say what the attack is about. All a few kilobytes on disk.
"""

import zipfile
from pathlib import Path

PACKAGE = "http://schemas.openxmlformats.org/package/2006"
OFFICE = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
MEDIA = "application/vnd.openxmlformats-officedocument.spreadsheetml"
CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    f'<Types xmlns="{PACKAGE}/content-types">'
    '<Default Extension="rels" '
    'ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    f'<Override PartName="/xl/workbook.xml" ContentType="{MEDIA}.sheet.main+xml"/>'
    f'<Override PartName="/xl/worksheets/sheet1.xml" ContentType="{MEDIA}.worksheet+xml"/>'
    f'<Override PartName="/xl/sharedStrings.xml" ContentType="{MEDIA}.sharedStrings+xml"/>'
    "</Types>"
)
ROOT_RELS = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    f'<Relationships xmlns="{PACKAGE}/relationships">'
    f'<Relationship Id="rId1" Type="{OFFICE}/officeDocument" Target="xl/workbook.xml"/>'
    "</Relationships>"
)
WORKBOOK = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
    f'xmlns:r="{OFFICE}">'
    '<sheets><sheet name="pocs" sheetId="1" r:id="rId1"/></sheets></workbook>'
)
WORKBOOK_RELS = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    f'<Relationships xmlns="{PACKAGE}/relationships">'
    f'<Relationship Id="rId1" Type="{OFFICE}/worksheet" Target="worksheets/sheet1.xml"/>'
    f'<Relationship Id="rId2" Type="{OFFICE}/sharedStrings" Target="sharedStrings.xml"/>'
    "</Relationships>"
)
SHEET_START = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
)
HEADER_ROW = (
    '<row r="1"><c r="A1" t="inlineStr"><is><t>party</t></is></c>'
    '<c r="B1" t="inlineStr"><is><t>full_name</t></is></c>'
    '<c r="C1" t="inlineStr"><is><t>email</t></is></c></row>'
)


def text_cell(reference: str, text: str) -> str:
    return f'<c r="{reference}" t="inlineStr"><is><t>{text}</t></is></c>'


def poc_row(number: int, name: str = "Joana Silva-Test") -> str:
    return (f'<row r="{number}">{text_cell(f"A{number}", "BRA")}{text_cell(f"B{number}", name)}'
            f'{text_cell(f"C{number}", f"joana{number}@example.org")}</row>')


def write_xlsx(path: Path, sheet_xml: str, shared_strings: str | None = None) -> Path:
    """A workbook whose first sheet is `sheet_xml` (a whole document, or a broken one)."""
    strings = shared_strings or (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="0" '
        'uniqueCount="0"/>')
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        archive.writestr("[Content_Types].xml", CONTENT_TYPES)
        archive.writestr("_rels/.rels", ROOT_RELS)
        archive.writestr("xl/workbook.xml", WORKBOOK)
        archive.writestr("xl/_rels/workbook.xml.rels", WORKBOOK_RELS)
        archive.writestr("xl/worksheets/sheet1.xml", sheet_xml)
        archive.writestr("xl/sharedStrings.xml", strings)
    return path


def sheet(dimension: str, rows: str) -> str:
    return f'{SHEET_START}<dimension ref="{dimension}"/><sheetData>{rows}</sheetData></worksheet>'


def claims_the_whole_grid(path: Path) -> Path:
    """The sheet declares A1:XFD1048576 and holds a header and one far row: 1.5 KB on disk."""
    return write_xlsx(path, sheet("A1:XFD1048576", HEADER_ROW + poc_row(1_048_576)))


def shared_string_bomb(path: Path, string_mib: int = 8, references: int = 20_000) -> Path:
    """One long shared string, used as the name on `references` rows: a few hundred KB on
    disk, packed far tighter than any real sheet."""
    long_string = "A" * (string_mib * 1024 * 1024)
    strings = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="1" '
        f'uniqueCount="1"><si><t>{long_string}</t></si></sst>')
    rows = "".join(
        f'<row r="{n}">{text_cell(f"A{n}", "BRA")}<c r="B{n}" t="s"><v>0</v></c>'
        f'{text_cell(f"C{n}", f"p{n}@example.org")}</row>'
        for n in range(2, references + 2))
    return write_xlsx(path, sheet(f"A1:C{references + 1}", HEADER_ROW + rows), strings)
