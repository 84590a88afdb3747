"""Real, minimal files of each kind, built here so every byte of a test's input is visible."""

import io
import struct
import zipfile
import zlib


def pdf_bytes(*, body: bytes = b"") -> bytes:
    """A one-page PDF with a correct cross-reference table."""
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] >>",
    ]
    out = io.BytesIO()
    out.write(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n" + body)
    offsets = []
    for number, obj in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n%s\nendobj\n" % (number, obj))
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    for offset in offsets:
        out.write(b"%010d 00000 n \n" % offset)
    out.write(b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref))
    return out.getvalue()


def _png_chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def png_bytes() -> bytes:
    """A 1×1 white RGB PNG."""
    ihdr = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)
    pixels = zlib.compress(b"\x00\xff\xff\xff")
    return b"\x89PNG\r\n\x1a\n" + _png_chunk(b"IHDR", ihdr) + _png_chunk(b"IDAT", pixels) + _png_chunk(b"IEND", b"")


def _jpeg_segment(marker: int, payload: bytes) -> bytes:
    return bytes([0xFF, marker]) + struct.pack(">H", len(payload) + 2) + payload


def jpeg_bytes() -> bytes:
    """The well-known smallest JPEG: a 1×1 grey pixel, arithmetic-coded (SOF9), in JFIF."""
    quantisation = bytes([0x00, 3, 2, 2, 2, 2, 2, 3, 2, 2, 2, 3, 3, 3, 3, 4, 6, 4, 4, 4, 4, 4, 8, 6, 6, 5, 6, 9, 8])
    quantisation += bytes([10, 10, 9, 8, 9, 9, 10, 12, 15, 12, 10, 11, 14, 11, 9, 9, 13, 17, 13, 14, 15, 16, 16])
    quantisation += bytes([17, 16, 10, 12, 18, 19, 18, 16, 19, 15, 16, 16, 16])
    return (
        b"\xff\xd8"
        + _jpeg_segment(0xE0, b"JFIF\x00\x01\x01\x01\x00\x48\x00\x48\x00\x00")
        + _jpeg_segment(0xDB, quantisation)
        + _jpeg_segment(0xC9, b"\x08\x00\x01\x00\x01\x01\x01\x11\x00")
        + _jpeg_segment(0xCC, b"\x00\x10\x10\x05")
        + _jpeg_segment(0xDA, b"\x01\x01\x00\x00\x3f\x00")
        + b"\xd2\xcf\x20"
        + b"\xff\xd9"
    )


def zip_bytes(members: list[tuple[str, bytes]], *, stored_first: bool = False) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for index, (name, data) in enumerate(members):
            compress = zipfile.ZIP_STORED if stored_first and index == 0 else zipfile.ZIP_DEFLATED
            archive.writestr(name, data, compress_type=compress)
    return out.getvalue()


_RELS = (
    b'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/'
    b'relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
    b'relationships/officeDocument" Target="%s"/></Relationships>'
)


def _content_types(main: bytes, part: bytes) -> bytes:
    return (
        b'<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/'
        b'content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
        b'relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/%s" '
        b'ContentType="%s"/></Types>' % (part, main)
    )


def docx_members() -> list[tuple[str, bytes]]:
    main = b"application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"
    document = (
        b'<?xml version="1.0" encoding="UTF-8"?><w:document xmlns:w="http://schemas.openxmlformats.org/'
        b'wordprocessingml/2006/main"><w:body><w:p><w:r><w:t>S\xc3\xb8knad</w:t></w:r></w:p></w:body></w:document>'
    )
    return [
        ("[Content_Types].xml", _content_types(main, b"word/document.xml")),
        ("_rels/.rels", _RELS % b"word/document.xml"),
        ("word/document.xml", document),
    ]


def docx_bytes() -> bytes:
    return zip_bytes(docx_members())


def xlsx_bytes() -> bytes:
    main = b"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"
    ns = b'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
    rel_ns = b'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"'
    workbook = b'<workbook %s %s><sheets><sheet name="Budsjett" sheetId="1" r:id="rId1"/></sheets></workbook>' % (
        ns,
        rel_ns,
    )
    workbook_rels = (
        b'<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" '
        b'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" '
        b'Target="worksheets/sheet1.xml"/></Relationships>'
    )
    sheet = b'<worksheet %s><sheetData><row r="1"><c r="A1"><v>42</v></c></row></sheetData></worksheet>' % ns
    return zip_bytes(
        [
            ("[Content_Types].xml", _content_types(main, b"xl/workbook.xml")),
            ("_rels/.rels", _RELS % b"xl/workbook.xml"),
            ("xl/workbook.xml", workbook),
            ("xl/_rels/workbook.xml.rels", workbook_rels),
            ("xl/worksheets/sheet1.xml", sheet),
        ]
    )


def odf_bytes(mimetype: bytes) -> bytes:
    manifest = (
        b'<?xml version="1.0" encoding="UTF-8"?><manifest:manifest xmlns:manifest="urn:oasis:names:tc:'
        b'opendocument:xmlns:manifest:1.0" manifest:version="1.2"><manifest:file-entry manifest:full-path="/" '
        b'manifest:media-type="%s"/><manifest:file-entry manifest:full-path="content.xml" '
        b'manifest:media-type="text/xml"/></manifest:manifest>' % mimetype
    )
    content = (
        b'<?xml version="1.0" encoding="UTF-8"?><office:document-content xmlns:office="urn:oasis:names:tc:'
        b'opendocument:xmlns:office:1.0" office:version="1.2"><office:body/></office:document-content>'
    )
    return zip_bytes(
        [("mimetype", mimetype), ("META-INF/manifest.xml", manifest), ("content.xml", content)], stored_first=True
    )


def odt_bytes() -> bytes:
    return odf_bytes(b"application/vnd.oasis.opendocument.text")


def ods_bytes() -> bytes:
    return odf_bytes(b"application/vnd.oasis.opendocument.spreadsheet")
