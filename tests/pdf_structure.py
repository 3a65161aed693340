"""Read a tagged PDF as a screen reader does: its structure tree in order, with the text of each element, and where
on the page each piece of text is drawn. Shared by the PDF/UA and PDF layout tests."""

from __future__ import annotations

import functools
from dataclasses import dataclass
from pathlib import Path

import pikepdf
from pypdf import PdfReader

HEADINGS = ("/H", "/H1", "/H2", "/H3", "/H4", "/H5", "/H6")
MM = 72 / 25.4  # points in a millimetre


@dataclass(frozen=True)
class Run:
    """A piece of text as drawn: its page (from 0), marked-content id (None outside the structure, as the running
    header and footer are), baseline and size in points from the bottom of the page."""

    page: int
    mcid: int | None
    text: str
    baseline: float
    size: float
    x: float = 0.0


@dataclass(frozen=True)
class Content:
    """A piece of marked content in structure order: the tags from the root down, its page and its text."""

    tags: tuple[str, ...]
    page: int
    mcid: int
    text: str


def _version(path: Path) -> tuple[str, int, int]:
    """A file's identity for the caches below: a PDF rewritten in place is read again."""
    info = Path(path).stat()
    return str(Path(path).resolve()), info.st_mtime_ns, info.st_size


def document_info(path: Path) -> dict[str, str]:
    """The document information a reader shows in its title bar and properties (/Title, /Author, ...), read
    once per file with qpdf (pypdf would parse the object stream that holds it, which takes seconds)."""
    return dict(_document_info(_version(path)))


@functools.cache
def _document_info(version: tuple[str, int, int]) -> tuple[tuple[str, str], ...]:
    with pikepdf.open(version[0]) as document:
        return tuple((str(key), str(value)) for key, value in document.docinfo.items())


def page_count(path: Path) -> int:
    """How many pages a PDF has, read once per file."""
    return _page_count(_version(path))


@functools.cache
def _page_count(version: tuple[str, int, int]) -> int:
    with pikepdf.open(version[0]) as document:
        return len(document.pages)


def page_texts(path: Path) -> list[str]:
    """The text of each page as pypdf extracts it, read once per file."""
    return list(_page_texts(_version(path)))


@functools.cache
def _page_texts(version: tuple[str, int, int]) -> tuple[str, ...]:
    return tuple(page.extract_text() or "" for page in PdfReader(version[0]).pages)


def text_runs(path: Path) -> list[Run]:
    """Every piece of text the PDF draws, page by page, with its marked-content id. Read once per file: several
    tests read the same PDFs, and pypdf reads text slowly."""
    return list(_text_runs(_version(path)))


@functools.cache
def _text_runs(version: tuple[str, int, int]) -> tuple[Run, ...]:
    path = Path(version[0])
    runs = []
    for number, page in enumerate(PdfReader(path).pages):
        stack: list[int | None] = []

        def before(operator, operands, cm, tm, stack=stack):
            if operator == b"BDC":
                properties = operands[1]
                stack.append(properties.get("/MCID") if hasattr(properties, "get") else None)
            elif operator == b"BMC":
                stack.append(None)
            elif operator == b"EMC" and stack:
                stack.pop()

        def text(value, cm, tm, font, size, stack=stack, number=number):
            if value.strip():
                mcid = next((m for m in reversed(stack) if m is not None), None)
                scale = abs(tm[3] * cm[3]) or 1
                x = tm[4] * cm[0] + cm[4]
                runs.append(Run(number, mcid, value, tm[5] * cm[3] + cm[5], size * scale, x))

        page.extract_text(visitor_operand_before=before, visitor_text=text)
    return tuple(runs)


def _texts(path: Path) -> dict[tuple[int, int], str]:
    """The text of each piece of marked content: (page, marked-content id) -> text."""
    texts: dict[tuple[int, int], str] = {}
    for run in text_runs(path):
        if run.mcid is not None:
            texts[run.page, run.mcid] = texts.get((run.page, run.mcid), "") + run.text
    return texts


def _kids(node) -> list:
    kids = node.get("/K")
    return list(kids) if isinstance(kids, pikepdf.Array) else [] if kids is None else [kids]


def marked_content(path: Path) -> list[Content]:
    """Every piece of marked content the structure tree points at, in the tree's (reading) order, with its text;
    annotations (links, form fields) as empty pieces whose last tag is /OBJR. Read once per file."""
    return list(_marked_content(_version(path)))


@functools.cache
def _marked_content(version: tuple[str, int, int]) -> tuple[Content, ...]:
    path = Path(version[0])
    texts = _texts(path)
    found: list[Content] = []
    with pikepdf.open(path) as pdf:
        pages = {page.obj.objgen: number for number, page in enumerate(pdf.pages)}
        seen: set = set()

        def walk(node, tags: tuple[str, ...], page: int | None) -> None:
            if not isinstance(node, pikepdf.Dictionary):
                if page is not None:
                    found.append(Content(tags, page, int(node), texts.get((page, int(node)), "")))
                return
            if node.is_indirect:
                if node.objgen in seen:
                    return
                seen.add(node.objgen)
            if "/Pg" in node:
                page = pages.get(node.Pg.objgen, page)
            if "/MCID" in node:
                walk(node.MCID, tags, page)
                return
            if node.get("/Type") == "/OBJR":  # an annotation: a link or a form field's widget
                if page is not None:
                    found.append(Content((*tags, "/OBJR"), page, -1, ""))
                return
            if "/S" in node:
                tags = (*tags, str(node.S))
            for kid in _kids(node):
                walk(kid, tags, page)

        root = pdf.Root.get("/StructTreeRoot")
        if root is not None:
            walk(root, (), None)
    return tuple(found)


@dataclass
class Element:
    """A structure element: its tag, its text (all its marked content's), its attributes and its kids."""

    tag: str
    text: str
    attributes: list
    kids: list


def elements(path: Path) -> list[Element]:
    """Every structure element with its text, parents before children."""
    texts = _texts(path)
    found: list[Element] = []
    with pikepdf.open(path) as pdf:
        pages = {page.obj.objgen: number for number, page in enumerate(pdf.pages)}
        seen: set = set()

        def build(node, page) -> tuple[Element | None, str]:
            if not isinstance(node, pikepdf.Dictionary):
                return None, texts.get((page, int(node)), "") if page is not None else ""
            if node.is_indirect:
                if node.objgen in seen:
                    return None, ""
                seen.add(node.objgen)
            if "/Pg" in node:
                page = pages.get(node.Pg.objgen, page)
            if "/MCID" in node:
                return None, texts.get((page, int(node.MCID)), "")
            if "/S" not in node:
                return None, ""
            element = Element(str(node.S), "", [], [])
            found.append(element)
            attributes = node.get("/A")
            attributes = list(attributes) if isinstance(attributes, pikepdf.Array) else [attributes]
            element.attributes = [dict(a.items()) for a in attributes if isinstance(a, pikepdf.Dictionary)]
            parts = []
            for kid in _kids(node):
                child, text = build(kid, page)
                parts.append(text)
                if child is not None:
                    element.kids.append(child)
            element.text = "".join(parts)
            return element, element.text

        root = pdf.Root.get("/StructTreeRoot")
        for kid in _kids(root) if root is not None else []:
            build(kid, None)
    return found
