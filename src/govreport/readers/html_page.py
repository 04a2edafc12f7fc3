"""Web pages (.html/.htm): the main text, found by trafilatura, with paragraph breaks kept."""

from __future__ import annotations

import codecs
import re

import trafilatura
from charset_normalizer import from_bytes

from .records import UnreadableInput

_DECLARED_CHARSET = re.compile(rb"<meta[^>]+charset\s*=\s*[\"']?\s*([A-Za-z0-9_.:-]+)", re.IGNORECASE)
# Pages that declare a GB charset often hold characters only its supersets have.
_SUPERSET = {"gb2312": "gb18030", "gbk": "gb18030", "gb18030": "gb18030", "big5": "big5hkscs"}
MIN_MAIN_TEXT_HAN = 20  # a page whose main text has fewer Chinese characters holds no report


def decode_page(data: bytes) -> tuple[str, str, list[str]]:
    """(html, encoding, notes): the declared charset if it decodes the bytes, else charset-normalizer."""
    notes: list[str] = []
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", errors="replace"), "utf_8_sig", notes
    declared = _DECLARED_CHARSET.search(data[:4096])
    if declared:
        name = declared.group(1).decode("ascii").lower()
        name = _SUPERSET.get(name, name)
        try:
            encoding = codecs.lookup(name).name
            return data.decode(encoding), encoding, notes
        except (LookupError, UnicodeDecodeError):
            notes.append(f"html: declared charset {declared.group(1).decode('ascii')} does not decode the page; detected instead")
    best = from_bytes(data).best()
    if best is None:
        raise UnreadableInput("undecodable HTML page: neither a declared charset nor charset-normalizer fits the bytes")
    return str(best), best.encoding, notes


def _han(text: str) -> int:
    return sum(1 for ch in text if "\u3400" <= ch <= "\u9fff")


def read_html(data: bytes) -> tuple[str, str, dict[str, str], list[str]]:
    """(main text, encoding, metadata, notes) of a web page; a page without main text raises UnreadableInput."""
    html, encoding, notes = decode_page(data)
    text = trafilatura.extract(html, output_format="txt", include_tables=True, include_comments=False,
                               favor_recall=True)
    if not text or _han(text) < MIN_MAIN_TEXT_HAN:
        found = f"only {len(text)} characters ({text[:20]!r})" if text else "nothing"
        raise UnreadableInput(f"HTML page has no main text: trafilatura found {found}; "
                              "a navigation or index page, or text loaded by script?")
    metadata: dict[str, str] = {}
    meta = trafilatura.extract_metadata(html)
    if meta is not None:
        for key in ("title", "date", "sitename", "url", "author"):
            value = getattr(meta, key, None)
            if value:
                metadata[key] = str(value)
    notes.append(f"html: main text by trafilatura, {len(html)} -> {len(text)} characters")
    return text, encoding, metadata, notes
