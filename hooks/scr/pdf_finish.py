"""The one step after WeasyPrint: what its PDF/UA output lacks, added with pikepdf in a single pass.

Every PDF: table header cells get their /Scope, as PDF/UA asks (WeasyPrint reads HTML's `scope` to link
cells to headers but does not write it); every list item's content goes into a list body (/LBody) beside its
label (/Lbl), as PDF/UA asks (WeasyPrint puts an item's text straight into its /LI). The fillable form:
fields correct by construction, so every reader draws what the file ships with (see `finish_form`), and its
fonts subset (see `subset_form_font`).
The PDF version (1.7), the PDF/UA identification in the XMP metadata and the document ID are kept.
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterator

import pikepdf
from pikepdf import Array, Dictionary, Name, Stream, String

# What someone filling in the form may type, beyond the characters the form itself prints: English and the
# letters of the other European languages written in Latin script (Latin-1, Latin Extended-A and Romanian's
# comma-below letters), and common punctuation and symbols. Greek and Cyrillic would add 27 KB.
TYPING_REPERTOIRE = [
    *range(0x20, 0x7F),
    *range(0xA0, 0x180),
    *range(0x218, 0x21C),
    *range(0x2010, 0x2027),
    *range(0x2030, 0x203B),
    0x20AC,
    0x2122,
]

# The name text fields' /DA gives their font in /AcroForm /DR. PDFium (Chrome's and Edge's viewers) draws a
# character with the field's own font only if the character's "charset" matches the font's, and it gives
# every embedded font the Latin (ANSI) charset unless the font's name in /DA is one of four symbol-font names:
# then it uses the font for every character it can encode. Under any other name, Polish or Romanian letters
# and curly quotes go to system fonts that are not embedded, or are dropped (see README, "PDFs"). So the
# field font, DejaVu Sans like the rest of the form, is listed under this name. Other readers look a /DA font
# up by its key in /DR and do not care what the key is.
FIELD_FONT = "Wingdings"
# PDFium's form code also adds Helvetica under this name to a field's appearance when the field's font is
# not a Latin one, as FIELD_FONT is to it. Helvetica is not embedded; if the name is already in the
# appearance's resources (as the field font), PDFium keeps what is there and draws nothing with it.
PDFIUM_LATIN_FONT = "Helvetica_00"
# Text size: one-line boxes use a fixed size (MuPDF cannot lay out a one-line box at "auto" size for text
# outside Windows-1252, and draws it outside the box); multi-line boxes use 0, "fit the box": PDFium and
# pdf.js then shrink long answers to fit (PDFium from 12 pt down to 4 pt) before they scroll.
ONE_LINE_SIZE = 10
# MuPDF draws typed text with its own fonts, ignoring /DA's; without /DS it uses Helvetica, not embedded, for
# text that Windows-1252 can encode. With a /DS (the rich-text default style) it lays out every answer
# with its HTML engine and embeds the fonts it uses. Other readers use /DS only in rich-text fields.
DEFAULT_STYLE = "font-family:Helvetica;font-size:{size}pt;color:#111111"
DS_SIZE = 9  # MuPDF neither shrinks nor scrolls multi-line text: a smaller size holds a longer answer
MULTILINE = 1 << 12


def finish(pdf_bytes: bytes, forms: bool = False) -> bytes:
    """The finished PDF: table header scopes always; for a form, its fields and fonts made right."""
    with pikepdf.open(io.BytesIO(pdf_bytes)) as pdf:
        add_table_header_scopes(pdf)
        add_list_bodies(pdf)
        if forms and "/AcroForm" in pdf.Root:
            finish_form(pdf)
            subset_form_font(pdf)
        out = io.BytesIO()
        pdf.save(
            out,
            object_stream_mode=pikepdf.ObjectStreamMode.preserve,  # WeasyPrint's: 2-5% smaller than qpdf's
            compress_streams=True,
            deterministic_id=True,
        )
    return out.getvalue()


# -- Tables --------------------------------------------------------------------------------------------


def struct_elements(pdf: pikepdf.Pdf) -> Iterator[Dictionary]:
    """Every structure element of the document, parents before children."""
    root = pdf.Root.get("/StructTreeRoot")
    if root is None:
        return
    stack, seen = [root], set()
    while stack:
        node = stack.pop()
        if not isinstance(node, Dictionary) or node.objgen in seen:
            continue
        if node.is_indirect:
            seen.add(node.objgen)
        if "/S" in node:
            yield node
        kids = node.get("/K")
        if isinstance(kids, Array):
            stack.extend(reversed(list(kids)))
        elif isinstance(kids, Dictionary):
            stack.append(kids)


def add_table_header_scopes(pdf: pikepdf.Pdf) -> None:
    """/Scope on every /TH, as HTML decides a header's scope when none is given: a header in a row of
    headers (or in the table head) is a column header, one beside data cells is a row header."""
    for element in struct_elements(pdf):
        if element.S != "/TH":
            continue
        row = element.get("/P")
        kinds = [kid.get("/S") for kid in _kids(row)] if row is not None else []
        in_head = row is not None and row.get("/P", Dictionary()).get("/S") == "/THead"
        scope = Name.Column if in_head or all(kind == "/TH" for kind in kinds) else Name.Row
        attributes = element.get("/A")
        if isinstance(attributes, Dictionary) and attributes.get("/O") == "/Table":
            attributes.Scope = scope
        else:
            table = Dictionary(O=Name.Table, Scope=scope)
            if attributes is None:
                element.A = table
            else:
                element.A = Array([table, *(attributes if isinstance(attributes, Array) else [attributes])])


LIST_ITEM_PARTS = ("/Lbl", "/LBody")


def add_list_bodies(pdf: pikepdf.Pdf) -> None:
    """Every /LI holds only /Lbl and /LBody (ISO 32000-1, 14.8.4.3.3): what else WeasyPrint put in an item (its
    text, links, paragraphs, marked content) moves, in order, into one /LBody after the label."""
    parents = _mcid_parents(pdf)
    for element in list(struct_elements(pdf)):
        if element.S != "/LI":
            continue
        kids = element.get("/K")
        kids = list(kids) if isinstance(kids, Array) else [] if kids is None else [kids]
        parts = [isinstance(kid, Dictionary) and kid.get("/S") in LIST_ITEM_PARTS for kid in kids]
        loose = [kid for kid, part in zip(kids, parts, strict=True) if not part]
        if not loose:
            continue
        body = pdf.make_indirect(Dictionary(Type=Name.StructElem, S=Name.LBody, P=element, K=Array(loose)))
        if "/Pg" in element:
            body.Pg = element.Pg
        for kid in loose:
            if isinstance(kid, Dictionary) and "/S" in kid:
                kid.P = body
            else:  # marked content (an MCID, alone or in an /MCR): its parent-tree entry names the new parent
                mcid = int(kid.get("/MCID", -1)) if isinstance(kid, Dictionary) else int(kid)
                page = kid.get("/Pg", element.get("/Pg")) if isinstance(kid, Dictionary) else element.get("/Pg")
                slots = parents.get(page.objgen) if page is not None else None
                if slots is not None and 0 <= mcid < len(slots):
                    slots[mcid] = body
        first = parts.index(False)  # the body takes the place of the first loose kid: the label stays first
        element.K = Array(
            [
                *(k for k, p in zip(kids[:first], parts[:first], strict=True) if p),
                body,
                *(k for k, p in zip(kids[first:], parts[first:], strict=True) if p),
            ]
        )


def _mcid_parents(pdf: pikepdf.Pdf) -> dict[tuple, Array]:
    """For each page (by object id), its parent-tree array: marked-content id -> structure element."""
    root = pdf.Root.get("/StructTreeRoot")
    if root is None or "/ParentTree" not in root:
        return {}
    tree = {int(k): v for k, v in pikepdf.NumberTree(root.ParentTree).items()}
    found = {}
    for page in pdf.pages:
        key = page.obj.get("/StructParents")
        if key is not None and isinstance(tree.get(int(key)), Array):
            found[page.obj.objgen] = tree[int(key)]
    return found


def _kids(element: Dictionary) -> list:
    kids = element.get("/K")
    if isinstance(kids, Array):
        return [kid for kid in kids if isinstance(kid, Dictionary)]
    return [kids] if isinstance(kids, Dictionary) else []


# -- Form fields ---------------------------------------------------------------------------------------


def finish_form(pdf: pikepdf.Pdf) -> None:
    """Each radio question one field whose options are only its kids; on and /Off appearances with /AS for
    every option and checkbox; a /DA with a /DR font and a blank appearance for every text field; a
    tooltip (/TU) on every widget and the same name as /Alt on its /Form structure element, saying
    question and option; /NeedAppearances false so readers draw these appearances."""
    acroform = pdf.Root.AcroForm
    form_elements = _form_elements_by_struct_parent(pdf)
    top_level = [field for field in acroform.Fields if "/Parent" not in field]
    acroform.Fields = Array(top_level)
    acroform.NeedAppearances = False
    _name_field_font(acroform)
    blank: dict[tuple, Stream] = {}
    shared: dict[str, Dictionary] = {}  # the text fields' appearance resources, one object for all
    for page in pdf.pages:
        for widget in page.get("/Annots", []):
            if widget.get("/Subtype") != "/Widget":
                continue
            kind = widget.get("/FT", widget.get("/Parent", Dictionary()).get("/FT"))
            if kind == "/Btn" and "/Parent" in widget:
                name = _radio_option(widget, blank, pdf)
            elif kind == "/Btn":
                name = _checkbox(widget, blank, pdf)
            else:
                name = _text_field(widget, pdf, shared)
            element = form_elements.get(int(widget.get("/StructParent", -1)))
            if element is not None:
                element.Alt = String(name)
    for group in top_level:
        if "/Kids" in group and "/Opt" in group:
            del group["/Opt"]  # the options' states now carry their own names


def _name_field_font(acroform: Dictionary) -> None:
    """List the text fields' font (WeasyPrint's, named in their /DA) in /DR under FIELD_FONT."""
    fonts = acroform.get("/DR", Dictionary()).get("/Font", Dictionary())
    for field in acroform.Fields:
        found = re.search(r"/(\S+)\s+[\d.]+\s+Tf", str(field.get("/DA", "")))
        if found and f"/{found.group(1)}" in fonts:
            fonts[f"/{FIELD_FONT}"] = fonts[f"/{found.group(1)}"]
            return


def _form_elements_by_struct_parent(pdf: pikepdf.Pdf) -> dict[int, Dictionary]:
    tree = pdf.Root.StructTreeRoot.ParentTree
    found = {}
    for key, value in pikepdf.NumberTree(tree).items():
        if isinstance(value, Dictionary) and value.get("/S") == "/Form":
            found[int(key)] = value
    return found


def _state_name(text: str, taken: set[str]) -> str:
    """A readable appearance state for an option ('Not known' -> /Not-known), unique in its group and short
    (PDF names are at most 127 bytes)."""
    base = re.sub(r"[^A-Za-z0-9]+", "-", text)[:40].strip("-") or "Option"
    if base == "Off":
        base = "Off-option"
    name, n = base, 2
    while name in taken:
        name, n = f"{base}-{n}", n + 1
    taken.add(name)
    return name


def _blank_appearance(pdf: pikepdf.Pdf, widget: Dictionary, cache: dict[tuple, Stream]) -> Stream:
    """An empty appearance the size of the widget (what an unticked box or option looks like: the page
    itself draws its outline). Shared between widgets of the same size."""
    x1, y1, x2, y2 = (float(v) for v in widget.Rect)
    size = (round(abs(x2 - x1), 3), round(abs(y2 - y1), 3))
    if size not in cache:
        cache[size] = pdf.make_stream(b"", Type=Name.XObject, Subtype=Name.Form, BBox=[0, 0, *size])
    return cache[size]


def _appearances(widget: Dictionary, on: str, blank: dict, pdf: pikepdf.Pdf) -> None:
    """Normal appearances for the on state (WeasyPrint's drawing) and /Off, and /AS to match."""
    normal = widget.AP.N
    drawn = next(normal[key] for key in normal.keys() if key != "/Off")
    was_on = widget.get("/AS", Name.Off) != Name.Off
    widget.AP = Dictionary(N=Dictionary({f"/{on}": drawn, "/Off": _blank_appearance(pdf, widget, blank)}))
    widget.AS = Name(f"/{on}") if was_on else Name.Off


def _radio_option(widget: Dictionary, blank: dict, pdf: pikepdf.Pdf) -> str:
    group = widget.Parent
    index = [kid.objgen for kid in group.Kids].index(widget.objgen)
    option = str(group.Opt[index]) if "/Opt" in group and index < len(group.Opt) else str(index + 1)
    state = _state_name(option, _taken_states(group, index))
    _appearances(widget, state, blank, pdf)
    if widget.AS != Name.Off:
        group.V = widget.AS
    for key in ("/T", "/V", "/Ff", "/FT"):
        if key in widget:
            del widget[key]  # a kid is only a widget; the group is the field
    question = str(group.get("/TU", group.T))
    widget.TU = String(f"{question}{'' if question[-1:] in '?.:' else ':'} {option}")
    return str(widget.TU)


def _taken_states(group: Dictionary, index: int) -> set[str]:
    """States already named for the group's earlier options (named in order, so earlier ones are done)."""
    return {str(key)[1:] for kid in list(group.Kids)[:index] for key in kid.AP.N.keys() if key != "/Off"}


def _checkbox(widget: Dictionary, blank: dict, pdf: pikepdf.Pdf) -> str:
    _appearances(widget, "Yes", blank, pdf)  # /Yes: the on state ISO 32000 recommends for a checkbox
    widget.V = widget.AS
    return str(widget.get("/TU", widget.get("/T", "")))


def _text_field(widget: Dictionary, pdf: pikepdf.Pdf, shared: dict[str, Dictionary]) -> str:
    """A /DA of colour and font only (WeasyPrint's also sets a graphics state, which a /DA may not): the
    field font (FIELD_FONT) at size 0, which readers take as "fit the box": text that does not fit gets
    smaller, then scrolls. And an empty appearance, so readers draw an empty box rather than guess."""
    da = str(widget.get("/DA", ""))
    multiline = bool(int(widget.get("/Ff", 0)) & MULTILINE)
    size = 0 if multiline else ONE_LINE_SIZE
    if re.search(r"/\S+\s+[\d.]+\s+Tf", da):
        da = re.sub(r"/\S+\s+[\d.]+\s+Tf", f"/{FIELD_FONT} {size} Tf", re.sub(r"/\S+\s+gs\b", " ", da))
        widget.DA = String(" ".join(da.split()))
        widget.DS = String(DEFAULT_STYLE.format(size=DS_SIZE if multiline else ONE_LINE_SIZE))
    x1, y1, x2, y2 = (float(v) for v in widget.Rect)
    if "/AP" not in widget:
        font = pdf.Root.AcroForm.DR.Font.get(f"/{FIELD_FONT}")
        if "resources" not in shared:
            fonts = {f"/{FIELD_FONT}": font, f"/{PDFIUM_LATIN_FONT}": font} if font is not None else {}
            shared["resources"] = pdf.make_indirect(Dictionary(Font=Dictionary(fonts)))
        resources = shared["resources"]
        empty = pdf.make_stream(
            b"/Tx BMC\nEMC\n",
            Type=Name.XObject,
            Subtype=Name.Form,
            BBox=[0, 0, abs(x2 - x1), abs(y2 - y1)],
            Resources=resources,
        )
        widget.AP = Dictionary(N=empty)
    return str(widget.get("/TU", widget.get("/T", "")))


# -- Fonts ---------------------------------------------------------------------------------------------


def subset_form_font(pdf: pikepdf.Pdf) -> None:
    """WeasyPrint embeds the whole font that text fields use (760 KB of DejaVu Sans), since a reader
    draws what people type with it. Keep the glyphs the form prints and those for TYPING_REPERTOIRE.

    Glyph ids stay as they are (the font is CID-keyed with an Identity map), so the page text, the
    widths and the fields' /DA still point at the right glyphs. /W and /ToUnicode cover every kept glyph:
    readers find the code for a typed character through /ToUnicode (PDFium and pdf.js look it up there), so
    a glyph missing from it could not be typed.
    """
    for font in _field_fonts(pdf):
        cid_font = font.DescendantFonts[0]
        descriptor = cid_font.FontDescriptor
        if "/FontFile2" not in descriptor or cid_font.get("/CIDToGIDMap") != Name.Identity:
            continue
        used = _glyphs_used(pdf, font)
        subset, kept, unicodes, advances = _subset_truetype(descriptor.FontFile2.read_bytes(), used)
        descriptor.FontFile2 = pdf.make_stream(subset, Length1=len(subset))
        cid_font.W = _widths(cid_font.W, kept, advances)
        old = font.ToUnicode.read_bytes() if "/ToUnicode" in font else b""
        font.ToUnicode = pdf.make_stream(_to_unicode(old, kept, unicodes))


def _field_fonts(pdf: pikepdf.Pdf) -> list[Dictionary]:
    """The fonts of /AcroForm /DR that a field's /DA names."""
    fonts = pdf.Root.AcroForm.get("/DR", Dictionary()).get("/Font", Dictionary())
    names = set()
    for page in pdf.pages:
        for widget in page.get("/Annots", []):
            found = re.search(r"/(\S+)\s+[\d.]+\s+Tf", str(widget.get("/DA", "")))
            if found:
                names.add(found.group(1))
    return [fonts[f"/{name}"] for name in sorted(names) if f"/{name}" in fonts]


def _glyphs_used(pdf: pikepdf.Pdf, font: Dictionary) -> set[int]:
    """Glyph ids the document's content streams (pages and form XObjects) show in `font`."""
    used: set[int] = set()
    seen: set[tuple] = set()

    def scan(owner, resources) -> None:
        names = {str(n) for n, f in resources.get("/Font", Dictionary()).items() if f.objgen == font.objgen}
        current = None
        for operands, operator in pikepdf.parse_content_stream(owner):
            op = str(operator)
            if op == "Tf":
                current = str(operands[0])
            elif current in names and op in ("Tj", "'", '"', "TJ"):
                for operand in operands[0] if op == "TJ" else operands[-1:]:
                    if isinstance(operand, String):
                        data = bytes(operand)
                        used.update(int.from_bytes(data[i : i + 2], "big") for i in range(0, len(data) - 1, 2))
        for xobject in resources.get("/XObject", Dictionary()).values():
            if xobject.get("/Subtype") == "/Form" and xobject.objgen not in seen:
                seen.add(xobject.objgen)
                scan(xobject, xobject.get("/Resources", resources))

    for page in pdf.pages:
        scan(page, page.obj.get("/Resources", Dictionary()))
    return used


def _subset_truetype(data: bytes, glyph_ids: set[int]) -> tuple[bytes, set[int], dict[int, int], dict[int, float]]:
    """The font with only `glyph_ids` and the repertoire's glyphs, each at its old id; the kept ids; the
    character each kept glyph draws (from the font's cmap); and each kept glyph's advance, in 1/1000 em."""
    from fontTools import subset
    from fontTools.ttLib import TTFont

    font = TTFont(io.BytesIO(data), recalcTimestamp=False)
    for table in ("GSUB", "GPOS", "GDEF", "kern", "FFTM"):
        if table in font:
            del font[table]  # the PDF holds shaped glyphs: no reader shapes text from these
    options = subset.Options()
    options.retain_gids = True
    options.notdef_outline = True
    options.name_IDs = ["*"]
    subsetter = subset.Subsetter(options)
    subsetter.populate(gids=sorted(glyph_ids | {0}), unicodes=TYPING_REPERTOIRE)
    subsetter.subset(font)
    order = font.getGlyphOrder()
    kept = {gid for gid, name in enumerate(order) if _has_outline_or_width(font, name)}
    gid_of = {name: gid for gid, name in enumerate(order)}
    unicodes: dict[int, int] = {}
    for code, name in sorted(font.getBestCmap().items(), reverse=True):
        unicodes[gid_of[name]] = code  # the lowest code point where two share a glyph
    scale = 1000 / font["head"].unitsPerEm
    advances = {gid: round(font["hmtx"][order[gid]][0] * scale, 3) for gid in kept}
    out = io.BytesIO()
    font.save(out)
    return out.getvalue(), kept | glyph_ids, unicodes, advances


def _has_outline_or_width(font, name: str) -> bool:
    glyph = font["glyf"][name]
    return glyph.numberOfContours != 0 or font["hmtx"][name][0] != 0


def _widths(widths: Array, kept: set[int], advances: dict[int, float]) -> Array:
    """/W for the kept glyph ids, one run of consecutive ids per entry: WeasyPrint's widths, and the font's
    own advance for a kept glyph WeasyPrint gave none."""
    table: dict[int, object] = {}
    items = list(widths)
    i = 0
    while i < len(items):
        first = int(items[i])
        if isinstance(items[i + 1], Array):
            for offset, width in enumerate(items[i + 1]):
                table[first + offset] = width
            i += 2
        else:
            for gid in range(first, int(items[i + 1]) + 1):
                table[gid] = items[i + 2]
            i += 3
    for gid, advance in advances.items():
        table.setdefault(gid, advance)
    runs: list = []
    for gid in sorted(g for g in table if g in kept):
        if runs and runs[-2] + len(runs[-1]) == gid:
            runs[-1].append(table[gid])
        else:
            runs.extend([gid, [table[gid]]])
    return Array([Array(run) if isinstance(run, list) else run for run in runs])


CMAP_HEAD = """/CIDInit /ProcSet findresource begin
12 dict begin
begincmap
/CIDSystemInfo
<< /Registry (Adobe)
/Ordering (UCS)
/Supplement 0
>> def
/CMapName /Adobe-Identity-UCS def
/CMapType 2 def
1 begincodespacerange
<0000> <ffff>
endcodespacerange
"""


def _to_unicode(cmap: bytes, kept: set[int], unicodes: dict[int, int]) -> bytes:
    """The /ToUnicode CMap for the kept glyph ids: WeasyPrint's entries (one bfchar line per glyph, which
    may give a ligature's letters), and the font's own character for every other kept glyph."""
    text = cmap.decode("latin-1")
    if "beginbfrange" in text:
        return cmap  # not the shape WeasyPrint writes: keep it whole rather than guess
    targets = {gid: chr(code).encode("utf-16-be").hex() for gid, code in unicodes.items() if gid in kept}
    if "endcodespacerange" in text:
        for code, target in re.findall(r"<([0-9a-fA-F]{4})>\s*<([0-9a-fA-F]+)>", text.split("endcodespacerange", 1)[1]):
            if int(code, 16) in kept:
                targets[int(code, 16)] = target
    pairs = sorted(targets.items())
    blocks = []
    for start in range(0, len(pairs), 100):
        chunk = pairs[start : start + 100]
        lines = "".join(f"<{gid:04x}> <{target}>\n" for gid, target in chunk)
        blocks.append(f"{len(chunk)} beginbfchar\n{lines}endbfchar\n")
    tail = "endcmap\nCMapName currentdict /CMap defineresource pop\nend\nend\n"
    return (CMAP_HEAD + "".join(blocks) + tail).encode("latin-1")
