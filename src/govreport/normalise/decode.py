"""Bytes as found -> text: encoding detection, binary and undecodable files refused with a reason."""

from __future__ import annotations

from pathlib import Path

from charset_normalizer import from_bytes

from .records import BadInputError

# ---------------------------------------------------------------- decoding

_BINARY_MAGIC = {
    b"\x89PNG": "a PNG image",
    b"%PDF": "a PDF document (extract its text first, e.g. with pdftotext)",
    b"PK\x03\x04": "a ZIP archive (or .docx/.xlsx)",
    b"\xd0\xcf\x11\xe0": "an old Office document (.doc/.xls)",
    b"GIF8": "a GIF image",
    b"\xff\xd8\xff": "a JPEG image",
    b"\x7fELF": "an executable",
}


def _first_bad_line(data: bytes) -> int:
    """Line of the first byte that is invalid UTF-8 (the most common intended encoding)."""
    try:
        data.decode("utf-8")
        return 1
    except UnicodeDecodeError as err:
        return data.count(b"\n", 0, err.start) + 1


def decode_bytes(data: bytes, path: Path | str = "<bytes>") -> tuple[str, str]:
    """Return (text, encoding name). Raise BadInputError for empty/binary/undecodable input."""
    if not data.strip():
        raise BadInputError(path, "empty file: nothing to read")
    for magic, what in _BINARY_MAGIC.items():
        if data.startswith(magic):
            raise BadInputError(path, f"binary file: this is {what}, not a text report")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16"), "utf_16"
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", errors="strict"), "utf_8_sig"
    best = from_bytes(data).best()
    if best is None:
        if b"\x00" in data:
            raise BadInputError(path, "binary file: contains NUL bytes and no text encoding fits")
        raise BadInputError(
            path,
            "undecodable: no text encoding fits the bytes (tried UTF-8, GB18030, Big5, UTF-16, ...); "
            "first invalid UTF-8 byte is here",
            line=_first_bad_line(data),
        )
    text = str(best)
    if text.startswith("\ufeff"):
        text = text[1:]
    visible = [ch for ch in text if not ch.isspace()]
    controls = sum(1 for ch in visible if ord(ch) < 32 or 0x7F <= ord(ch) < 0xA0)
    if visible and controls / len(visible) > 0.01:
        raise BadInputError(path, f"binary file: {controls} control characters after decoding as {best.encoding}")
    cjk = sum(1 for ch in visible if _is_cjk(ch))
    if cjk < max(1, 0.1 * len(visible)):
        raise BadInputError(
            path,
            f"not Chinese text: decoded as {best.encoding} but only {cjk} of {len(visible)} characters are Chinese "
            "(wrong encoding or not a report)",
            line=_first_bad_line(data),
        )
    return text, best.encoding


def read_report(path: Path) -> tuple[str, str]:
    try:
        data = path.read_bytes()
    except OSError as err:
        raise BadInputError(path, f"cannot read: {err.strerror}") from err
    return decode_bytes(data, path)


def _is_cjk(ch: str) -> bool:
    return "\u3400" <= ch <= "\u9fff" or "\uf900" <= ch <= "\ufaff" or "\U00020000" <= ch <= "\U0003134f"
