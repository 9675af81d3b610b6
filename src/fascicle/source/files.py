"""Read one source file as untrusted input: a regular file, of bounded size, in UTF-8, free of control characters.

Every refusal is a SourceError at the true line and column of the offending byte or character, so that a
file with a stray byte is reported where an editor shows it, not at a byte offset.
"""

from __future__ import annotations

import os
import re
import stat
from pathlib import Path

from fascicle.source.errors import SourceError

LIMIT_VARIABLE = "FASCICLE_MAX_FILE_MB"
DEFAULT_LIMIT_MB = 16
"""The bundled ITC section's largest file is 28 kB, so this is 500 times more than ITC needs; loading takes about
40 times a file's size in memory (the parsed tree, the positions and the model), so the limit also bounds that."""

# Characters that XML 1.0, Typst or a terminal cannot carry as text: C0 controls but tab, line feed and
# carriage return; DEL and the C1 controls; the line and paragraph separators (YAML counts them as line breaks,
# editors do not, so every later line number would be wrong); and the non-characters U+FFFE and U+FFFF.
FORBIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u2028\u2029\ufffe\uffff]")


class FileRefused(Exception):
    """A source file that cannot be read as text; its one error is located."""

    def __init__(self, error: SourceError) -> None:
        self.error = error
        super().__init__(str(error))


def limit_bytes() -> int:
    """The size limit of one source file, from FASCICLE_MAX_FILE_MB (default 16)."""
    text = os.environ.get(LIMIT_VARIABLE, "")
    megabytes = int(text) if text.isascii() and text.isdigit() and 0 < len(text) < 7 else DEFAULT_LIMIT_MB
    return max(megabytes, 1) * 1024 * 1024


def read_text(file: Path, name: str) -> str:
    """The text of one source file; raise FileRefused naming the file, line and column of the problem."""
    return check_text(read_decoded(file, name), name)


def read_decoded(file: Path, name: str) -> str:
    """The bytes of one source file decoded from UTF-8 and nothing else (a byte order mark stays); raise
    FileRefused when it cannot be read or decoded."""
    data = _read_bytes(file, name)
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as error:
        line, column = _byte_position(data, error.start)
        raise FileRefused(SourceError(name, line, column, "", f"byte 0x{data[error.start]:02X} is not UTF-8: "
                                                               "save the file as UTF-8")) from None


def accept_text(text: object, name: str) -> str:
    """A part's text given in memory, held to what read_text holds a file to: text, valid Unicode, within the
    size limit, free of control characters; raise FileRefused naming the problem."""
    if not isinstance(text, str):
        raise FileRefused(SourceError(name, 1, 1, "", f"not text but {type(text).__name__}"))
    try:
        size = len(text.encode("utf-8"))
    except UnicodeEncodeError as error:
        # A lone surrogate (from JSON's "\ud800") has no UTF-8 form: no file could hold it.
        line, column = text_position(text, error.start)
        raise FileRefused(SourceError(name, line, column, "", f"U+{ord(text[error.start]):04X} is not a "
                                                               "character (a lone surrogate)")) from None
    limit = limit_bytes()
    if size > limit:
        raise FileRefused(SourceError(name, 1, 1, "", f"{size / 1024 / 1024:.1f} MB, over the limit of "
                                                       f"{limit // 1024 // 1024} MB for one source file"))
    return check_text(text, name)


def check_text(text: str, name: str) -> str:
    """Decoded text without its byte order mark; raise FileRefused at the first character no source may hold."""
    text = text.removeprefix("\ufeff")
    found = FORBIDDEN.search(text)
    if found:
        line, column = text_position(text, found.start())
        raise FileRefused(SourceError(name, line, column, "", f"{describe(found.group())} is not allowed in a "
                                                               "source file"))
    return text


def describe(character: str) -> str:
    """A character named by its code point, e.g. U+0007, since it cannot be shown."""
    return f"control character U+{ord(character):04X}"


def text_position(text: str, index: int) -> tuple[int, int]:
    """The 1-based line and column of a character index."""
    start = text.rfind("\n", 0, index) + 1
    return text.count("\n", 0, index) + 1, index - start + 1


def _byte_position(data: bytes, offset: int) -> tuple[int, int]:
    start = data.rfind(b"\n", 0, offset) + 1
    # The bytes before the first undecodable one are valid UTF-8, so the column counts their characters.
    return data.count(b"\n", 0, offset) + 1, len(data[start:offset].decode("utf-8")) + 1


def _read_bytes(file: Path, name: str) -> bytes:
    def refuse(message: str) -> FileRefused:
        return FileRefused(SourceError(name, 1, 1, "", message))

    limit = limit_bytes()
    try:
        # O_NONBLOCK: opening a FIFO must not wait for a writer; it is refused just below.
        handle = os.open(file, os.O_RDONLY | os.O_NONBLOCK | os.O_CLOEXEC)
    except OSError as error:
        raise refuse(f"cannot read: {error.strerror or error}") from None
    try:
        mode = os.fstat(handle).st_mode
        if not stat.S_ISREG(mode):
            raise refuse("not a regular file (a directory, device, pipe or socket cannot be a part)")
        size = os.fstat(handle).st_size
        if size > limit:
            raise refuse(f"{size / 1024 / 1024:.1f} MB, over the limit of {limit // 1024 // 1024} MB for one "
                         f"source file; if the file is genuine, raise the limit with {LIMIT_VARIABLE}=<megabytes>")
        # Read at most one byte past the limit: a file that grows while it is read is refused, not swallowed.
        with os.fdopen(handle, "rb", closefd=False) as stream:
            data = stream.read(limit + 1)
        if len(data) > limit:
            raise refuse(f"grew past the limit of {limit // 1024 // 1024} MB while it was read")
        return data
    except OSError as error:
        raise refuse(f"cannot read: {error.strerror or error}") from None
    finally:
        os.close(handle)
