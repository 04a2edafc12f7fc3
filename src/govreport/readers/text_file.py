"""Plain-text reports (.txt or no extension), decoded as ``govreport corpus`` always did."""

from __future__ import annotations

from ..normalise import BadInputError, decode_bytes
from .records import UnreadableInput


def read_text(data: bytes, name: str) -> tuple[str, str]:
    """(text, encoding) of a text report; empty, binary or undecodable bytes raise UnreadableInput."""
    try:
        return decode_bytes(data, name)
    except BadInputError as err:
        raise UnreadableInput(err.reason, line=err.line) from err
