"""Which reader a file needs: by extension, corrected by the content where the extension lies."""

from __future__ import annotations

import io
import re
import zipfile

EXTENSIONS = {
    "": "txt", ".txt": "txt",
    ".html": "html", ".htm": "html",
    ".pdf": "pdf",
    ".docx": "docx",
    ".csv": "csv", ".tsv": "tsv", ".jsonl": "jsonl", ".xlsx": "xlsx",
}

# Formats people often have that are not read, with what to do about them.
UNSUPPORTED_HINTS = {
    ".doc": "old Word .doc: save it as .docx",
    ".xls": "old Excel .xls: save it as .xlsx",
    ".wps": "WPS document: save it as .docx",
    ".json": "JSON: give one report per line as .jsonl",
}

_HTML_START = re.compile(rb"^\s*(<\?xml[^>]*>\s*)?(<!--.*?-->\s*)*<(!doctype\s+html|html|head|body|meta)\b",
                         re.IGNORECASE | re.DOTALL)


def sniff(data: bytes) -> str | None:
    """The format the bytes are in when their start says so unmistakably, else None."""
    if data.startswith(b"%PDF"):
        return "pdf"
    if data.startswith(b"PK\x03\x04"):
        try:
            names = set(zipfile.ZipFile(io.BytesIO(data)).namelist())
        except zipfile.BadZipFile:
            return None
        if "word/document.xml" in names:
            return "docx"
        if "xl/workbook.xml" in names:
            return "xlsx"
        return None
    head = data[:2048].lstrip(b"\xef\xbb\xbf")
    if _HTML_START.match(head):
        return "html"
    return None
