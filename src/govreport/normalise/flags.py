"""Spans of the clean text that are kept but need a human look: mojibake, lost characters, U+FFFD.

Nothing here deletes text: a flag records where characters were lost so that a reader (and the
annotators) can see it, and the segmenter does not split a sentence inside it.
"""

from __future__ import annotations

import re

from .records import Flag

_TONE = "āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜńňǹḿ"

# Mojibake left by a one-byte shift of GBK bytes: a '?' for the lost byte inside Chinese
# text, followed by mis-paired characters up to the ASCII byte where decoding resynchronised.
MOJIBAKE = re.compile(rf"(?<=[\u3400-\u9fff、])\?[^\s,，。、；]{{0,12}}[A-Za-z)!?;{_TONE}]")
# Two or more '?' in a row stand for characters (often a full-width space) a site lost when it
# re-encoded the page: never a question, never a sentence end.
LOST_RUN = re.compile(r"\?{2,}")


def _lines_with_offsets(text: str):
    offset = 0
    for line in text.split("\n"):
        yield offset, line
        offset += len(line) + 1


def find_flags(text: str, line_of) -> list[Flag]:
    flags = [Flag("mojibake", m.start(), m.end(), m.group(), line_of(m.start())) for m in MOJIBAKE.finditer(text)
             if m.group().strip("?")]  # a run of '?' alone is lost characters, below
    in_mojibake = {i for f in flags for i in range(f.start, f.end)}
    for m in LOST_RUN.finditer(text):
        if m.start() not in in_mojibake:
            flags.append(Flag("lost_chars", m.start(), m.end(), text[max(0, m.start() - 5): m.end() + 5],
                              line_of(m.start())))
    # A '?' inside an open quotation and followed by Chinese stands for a character the source
    # lost ("才乡?老三桥" for 才乡·老三桥), not for a question.
    for line_start, line in _lines_with_offsets(text):
        for m in re.finditer(r"(?<!\?)\?(?=[\u4e00-\u9fff])", line):
            before = line[: m.start()]
            if before.count('"') % 2 == 1 or before.count("“") > before.count("”"):
                flags.append(Flag("lost_char", line_start + m.start(), line_start + m.end(),
                                  line[max(0, m.start() - 5): m.end() + 5], line_of(line_start + m.start())))
    flags += [
        Flag("replacement_char", m.start(), m.end(), text[max(0, m.start() - 5) : m.end() + 5], line_of(m.start()))
        for m in re.finditer("\ufffd+", text)
    ]
    return sorted(flags, key=lambda f: f.start)
