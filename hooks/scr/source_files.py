"""Reading an editor's files as text: a file that is not UTF-8 (a Word document, a file saved as "ANSI") is a
message naming the file, the line and what to do, never a UnicodeDecodeError."""

from __future__ import annotations

from pathlib import Path

from .errors import EditorError

RESAVE = (
    "open it in a text editor and save it as UTF-8 (in VS Code: 'Reopen with Encoding', 'Western (Windows 1252)', "
    "then 'Save with Encoding', 'UTF-8'), or copy its text into a new file in GitHub's editor. Markdown files are "
    "plain text: never save a page from Word."
)


def read_text(path: str | Path, label: str) -> str:
    """The file's text (a byte-order mark at the start is dropped), or an EditorError naming `label`."""
    data = Path(path).read_bytes()
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise not_utf8(data, label, error) from None


def not_utf8(data: bytes, label: str, error: UnicodeDecodeError) -> EditorError:
    """What to tell the editor about bytes that are not UTF-8, by what the file most likely is."""
    if data.startswith(b"PK\x03\x04"):
        return EditorError(
            label,
            "this is a Word document (or another zipped file) with a .md name, not a text file.",
            "open it in Word, copy the text, and paste it into a Markdown file made in a text editor or GitHub's "
            "editor (see CONTRIBUTING.md, 'Add a page').",
        )
    if data.startswith(b"\xd0\xcf\x11\xe0"):
        return EditorError(
            label,
            "this is an old Word document (.doc) with a .md name, not a text file.",
            "open it in Word, copy the text, and paste it into a Markdown file made in a text editor or GitHub's "
            "editor (see CONTRIBUTING.md, 'Add a page').",
        )
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return EditorError(
            label, "this file is saved as UTF-16 ('Unicode' in Word and Notepad), not UTF-8.", RESAVE, line=1
        )
    line = data.count(b"\n", 0, error.start) + 1
    byte = data[error.start]
    guess = bytes([byte]).decode("cp1252", errors="replace")
    seen = f" (in the Windows-1252 encoding, {guess!r})" if guess != "\ufffd" else ""
    return EditorError(
        label,
        f"this file is not UTF-8 text: the byte 0x{byte:02X}{seen} cannot be read. The file was probably saved "
        "from Word or as 'ANSI'.",
        RESAVE,
        line=line,
    )
