"""Fill the referral form as people do in four PDF engines, and measure what each saved file DRAWS.

Used by tests/test_form_typing.py. Engines:

- PDFium (Chrome's and Edge's viewers), through pypdfium2: the field is clicked and each character typed
  with FORM_OnChar (or pasted with FORM_ReplaceSelection), focus leaves the field, the file is saved.
- MuPDF (SumatraPDF, mupdf, many mobile readers), through pymupdf's MuPDF bindings: pdf_set_text_field_value,
  which builds the field's appearance as MuPDF's own viewer does, then save.
- Mozilla pdf.js (Firefox), through tests/pdfjs_form.mjs: its annotation storage and saveDocument().
- poppler (Evince, Okular, print pipelines) reads and prints the files the others save: pdftotext, pdffonts.

What is drawn is measured from the saved file, not from the stored value: the characters MuPDF finds inside
each field's rectangle when it lays out the page (text cut off outside the box is not inside it), and, for
every glyph an appearance shows, whether its font is embedded and whether the glyph has ink in that font.
"""

from __future__ import annotations

import io
import json
import re
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

import pikepdf
from conftest import ROOT

PDFJS_SCRIPT = ROOT / "tests" / "pdfjs_form.mjs"
MULTILINE = 1 << 12


@dataclass(frozen=True)
class TextField:
    name: str
    page: int  # 0-based
    rect: tuple[float, float, float, float]  # x1, y1, x2, y2, y up
    multiline: bool
    tooltip: str


def text_fields(path: Path) -> list[TextField]:
    """The form's text fields in page order."""
    found = []
    with pikepdf.open(path) as pdf:
        for number, page in enumerate(pdf.pages):
            for widget in page.get("/Annots", []):
                if widget.get("/Subtype") != "/Widget" or widget.get("/FT") != "/Tx":
                    continue
                x1, y1, x2, y2 = (float(v) for v in widget.Rect)
                found.append(
                    TextField(
                        str(widget.T),
                        number,
                        (min(x1, x2), min(y1, y2), max(x1, x2), max(y1, y2)),
                        bool(int(widget.get("/Ff", 0)) & MULTILINE),
                        str(widget.get("/TU", "")),
                    )
                )
    return found


# -- Filling -------------------------------------------------------------------------------------------


def fill_pdfium(source: Path, target: Path, values: dict[str, str], paste: bool = False) -> None:
    """Click each field, type its value key by key (or paste it), leave the field; save as Chrome does."""
    import ctypes

    import pypdfium2 as pdfium
    import pypdfium2.raw as raw

    doc = pdfium.PdfDocument(str(source))
    doc.init_forms()
    env = doc.formenv.raw
    try:
        for index in range(len(doc)):
            page = doc[index]
            for k in range(raw.FPDFPage_GetAnnotCount(page.raw)):
                annot = raw.FPDFPage_GetAnnot(page.raw, k)
                try:
                    name = _annot_name(raw, env, annot)
                    if name not in values or raw.FPDFAnnot_GetFormFieldType(env, annot) != raw.FPDF_FORMFIELD_TEXTFIELD:
                        continue
                    rect = raw.FS_RECTF()
                    raw.FPDFAnnot_GetRect(annot, rect)
                    x, y = (rect.left + rect.right) / 2, (rect.top + rect.bottom) / 2
                    raw.FORM_OnLButtonDown(env, page.raw, 0, x, y)
                    raw.FORM_OnLButtonUp(env, page.raw, 0, x, y)
                    if paste:
                        units = (values[name] + "\0").encode("utf-16-le")
                        buffer = ctypes.create_string_buffer(units, len(units))
                        raw.FORM_ReplaceSelection(env, page.raw, ctypes.cast(buffer, raw.FPDF_WIDESTRING))
                    else:
                        units = values[name].encode("utf-16-le")
                        for i in range(0, len(units), 2):
                            raw.FORM_OnChar(env, page.raw, int.from_bytes(units[i : i + 2], "little"), 0)
                    raw.FORM_ForceToKillFocus(env)
                finally:
                    raw.FPDFPage_CloseAnnot(annot)
            page.close()
        doc.save(str(target))
    finally:
        doc.close()


def _annot_name(raw, env, annot) -> str:
    import ctypes

    size = raw.FPDFAnnot_GetFormFieldName(env, annot, None, 0)
    buffer = ctypes.create_string_buffer(size)
    raw.FPDFAnnot_GetFormFieldName(env, annot, ctypes.cast(buffer, ctypes.POINTER(raw.FPDF_WCHAR)), size)
    return buffer.raw[: size - 2].decode("utf-16-le")


def fill_mupdf(source: Path, target: Path, values: dict[str, str]) -> None:
    """Set each field's text as MuPDF's viewer does when someone types and leaves the field; save."""
    import pymupdf

    mupdf = pymupdf.mupdf
    doc = mupdf.PdfDocument(str(source))
    for index in range(mupdf.pdf_count_pages(doc)):
        page = mupdf.pdf_load_page(doc, index)
        widget = mupdf.pdf_first_widget(page)
        while widget.m_internal:
            if mupdf.pdf_widget_type(widget) == mupdf.PDF_WIDGET_TYPE_TEXT:
                name = mupdf.pdf_load_field_name2(mupdf.pdf_annot_obj(widget))
                if name in values:
                    mupdf.pdf_set_text_field_value(widget, values[name])
            widget = mupdf.pdf_next_widget(widget)
        mupdf.pdf_update_page(page)
    mupdf.pdf_save_document(doc, str(target), mupdf.PdfWriteOptions())


def fill_pdfjs(source: Path, target: Path, values: dict[str, str]) -> dict:
    """Fill through pdf.js's annotation storage and save with saveDocument(), as Firefox does."""
    answers = target.with_suffix(".json")
    answers.write_text(json.dumps(values), encoding="utf-8")
    result = subprocess.run(
        ["node", str(PDFJS_SCRIPT), str(source), str(answers), str(target)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


FILL = {"PDFium": fill_pdfium, "MuPDF": fill_mupdf, "pdf.js": fill_pdfjs}


# -- What is drawn -------------------------------------------------------------------------------------


@dataclass
class Drawn:
    """What a saved file shows in one field."""

    inside: str = ""  # the characters laid out inside the field's rectangle, in reading order
    sizes: set[float] = field(default_factory=set)  # the font sizes they are drawn at


def drawn_in_fields(path: Path, fields: list[TextField]) -> dict[str, Drawn]:
    """The characters MuPDF lays out inside each field's rectangle when it draws the saved page: text that
    an appearance clips away, or pushes outside the box, is not inside."""
    import pymupdf

    found = {f.name: Drawn() for f in fields}
    by_page: dict[int, list[TextField]] = {}
    for f in fields:
        by_page.setdefault(f.page, []).append(f)
    with pymupdf.open(str(path)) as doc:
        for number, on_page in by_page.items():
            page = doc[number]
            height = page.rect.height
            flags = pymupdf.TEXT_PRESERVE_WHITESPACE
            chars = []
            for block in page.get_text("rawdict", flags=flags)["blocks"]:
                for line in block.get("lines", []):
                    for span in line["spans"]:
                        for char in span["chars"]:
                            x0, y0, x1, y1 = char["bbox"]
                            chars.append(((x0 + x1) / 2, height - (y0 + y1) / 2, char["c"], span["size"]))
            for f in on_page:
                x1, y1, x2, y2 = f.rect
                for x, y, c, size in chars:
                    if x1 <= x <= x2 and y1 <= y <= y2:
                        found[f.name].inside += c
                        if not c.isspace():
                            found[f.name].sizes.add(round(size, 1))
    return found


def visible(text: str) -> str:
    """The characters that leave ink: what a drawn answer is compared on (spaces and line breaks vary)."""
    return "".join(text.split())


def unembedded_fonts(path: Path) -> list[str]:
    """The fonts poppler's pdffonts lists as not embedded."""
    out = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True, check=True).stdout
    lines = out.splitlines()[2:]
    found = []
    for line in lines:
        # name, type (may hold spaces), encoding, emb, sub, uni, object ID: read emb from the right
        parts = line.split()
        if len(parts) >= 7 and parts[-5] == "no":
            found.append(parts[0])
    return found


def glyph_problems(path: Path, names: set[str]) -> list[str]:
    """For every glyph the appearance of a field in `names` shows: its font must be embedded, and the glyph
    must exist with ink in that font (a missing glyph draws nothing, or an empty box)."""
    problems: list[str] = []
    fonts: dict[tuple, _Font] = {}
    with pikepdf.open(path) as pdf:
        for number, page in enumerate(pdf.pages):
            for widget in page.get("/Annots", []):
                if str(widget.get("/T", "")) not in names or "/AP" not in widget:
                    continue
                stream = widget.AP.N
                if not isinstance(stream, pikepdf.Stream):
                    continue
                resources = stream.get("/Resources", pikepdf.Dictionary()).get("/Font", pikepdf.Dictionary())
                current = None
                for operands, operator in pikepdf.parse_content_stream(stream):
                    op = str(operator)
                    if op == "Tf":
                        current = resources.get(str(operands[0]))
                        if current is None:
                            problems.append(f"{widget.T}: font {operands[0]} is not in the appearance's resources")
                    elif op in ("Tj", "'", '"', "TJ") and current is not None:
                        key = current.objgen
                        if key not in fonts:
                            fonts[key] = _Font(current)
                        strings = operands[0] if op == "TJ" else operands[-1:]
                        for operand in strings:
                            if isinstance(operand, pikepdf.String):
                                problems += [
                                    f"{widget.T} (page {number + 1}): {p}" for p in fonts[key].check(bytes(operand))
                                ]
    return sorted(set(problems))


class _Font:
    """A PDF font as far as drawing its glyphs goes: is it embedded, and which codes draw ink."""

    def __init__(self, font: pikepdf.Dictionary) -> None:
        from fontTools.ttLib import TTFont

        self.name = str(font.get("/BaseFont", "?"))
        self.two_byte = font.get("/Subtype") == "/Type0"
        descendant = font.DescendantFonts[0] if self.two_byte else font
        descriptor = descendant.get("/FontDescriptor", pikepdf.Dictionary())
        self.ttf = self.cff = None
        self.cid_to_gid: bytes | None = None
        if "/FontFile2" in descriptor:
            self.ttf = TTFont(io.BytesIO(descriptor.FontFile2.read_bytes()))
            mapping = descendant.get("/CIDToGIDMap")
            if isinstance(mapping, pikepdf.Stream):
                self.cid_to_gid = mapping.read_bytes()
        elif "/FontFile3" in descriptor or "/FontFile" in descriptor:
            data = (descriptor.get("/FontFile3") or descriptor.get("/FontFile")).read_bytes()
            if descriptor.get("/FontFile3") is not None and descriptor.FontFile3.get("/Subtype") in (
                "/CIDFontType0C",
                "/Type1C",
            ):
                from fontTools.cffLib import CFFFontSet

                cff = CFFFontSet()
                cff.decompile(io.BytesIO(data), None)
                self.cff = cff[cff.fontNames[0]]
            else:
                self.cff = "other"  # an embedded font we cannot look inside: trust its glyphs
        self.embedded = self.ttf is not None or self.cff is not None
        self.simple_cmap = None
        if self.ttf is not None and not self.two_byte:
            self.simple_cmap = self.ttf.getBestCmap()
        self.to_unicode = _to_unicode_map(font)

    def check(self, data: bytes) -> list[str]:
        if not self.embedded:
            return [f"draws with {self.name}, which is not embedded"]
        codes = (
            [int.from_bytes(data[i : i + 2], "big") for i in range(0, len(data) - 1, 2)]
            if self.two_byte
            else list(data)
        )
        problems = []
        for code in codes:
            char = self.to_unicode.get(code, "")
            if char.isspace():
                continue
            if not self._has_ink(code, char):
                problems.append(f"{char or hex(code)!r} has no glyph in {self.name}")
        return problems

    def _has_ink(self, code: int, char: str) -> bool:
        if self.cff == "other":
            return True
        if self.ttf is not None:
            order = self.ttf.getGlyphOrder()
            if self.two_byte:
                gid = code
                if self.cid_to_gid is not None:
                    gid = int.from_bytes(self.cid_to_gid[2 * code : 2 * code + 2], "big")
                if gid == 0 or gid >= len(order):
                    return False
                name = order[gid]
            else:
                name = self.simple_cmap.get(ord(char)) if char and self.simple_cmap else None
                if name is None:
                    return False
            glyph = self.ttf["glyf"][name]
            return glyph.numberOfContours != 0
        if not self.two_byte:
            return True  # a simple CFF font: not one these engines write for typed text
        charset = self.cff.charset
        if hasattr(self.cff, "ROS"):  # CID-keyed: the code is a CID, named cidNNNNN
            name = f"cid{code:05d}" if code else None
        else:  # a plain CFF font under a CIDFontType0: the CID is the glyph's index
            name = charset[code] if 0 < code < len(charset) else None
        if name is None or name not in self.cff.CharStrings:
            return False
        from fontTools.pens.boundsPen import BoundsPen

        pen = BoundsPen(None)
        self.cff.CharStrings[name].draw(pen)
        return pen.bounds is not None


def _to_unicode_map(font: pikepdf.Dictionary) -> dict[int, str]:
    if "/ToUnicode" not in font:
        return {}
    text = font.ToUnicode.read_bytes().decode("latin-1")
    found: dict[int, str] = {}
    for block in re.findall(r"beginbfchar(.*?)endbfchar", text, re.S):
        for code, target in re.findall(r"<([0-9a-fA-F]+)>\s*<([0-9a-fA-F]+)>", block):
            found[int(code, 16)] = bytes.fromhex(target).decode("utf-16-be", "replace")
    for block in re.findall(r"beginbfrange(.*?)endbfrange", text, re.S):
        for low, high, target in re.findall(r"<([0-9a-fA-F]+)>\s*<([0-9a-fA-F]+)>\s*<([0-9a-fA-F]+)>", block):
            start = int.from_bytes(bytes.fromhex(target), "big")
            for offset, code in enumerate(range(int(low, 16), int(high, 16) + 1)):
                found[code] = chr(start + offset)
    return found


def pdfium_page_text(path: Path, pages: set[int]) -> dict[int, str]:
    """What PDFium itself reads back from the saved file: each page flattened (fields printed into the page,
    as Chrome prints them) and its text extracted."""
    import pypdfium2 as pdfium

    texts = {}
    doc = pdfium.PdfDocument(str(path))
    doc.init_forms()
    try:
        for number in sorted(pages):
            page = doc[number]
            page.flatten(pdfium.raw.FLAT_PRINT)
            page.close()
            page = doc[number]
            textpage = page.get_textpage()
            texts[number] = textpage.get_text_range()
            textpage.close()
            page.close()
    finally:
        doc.close()
    return texts


def poppler_text(path: Path) -> str:
    """What poppler reads from the saved file, field appearances included (pdftotext, as Evince shows it)."""
    return subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout
