"""Every PDF reads and prints as people use it: no heading alone at the foot of a page, no page holding only the
owner and review block, header and footer inside what printers print, and images no wider than the text."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pikepdf
import pytest
from conftest import build_site, guidance_sources
from pdf_structure import HEADINGS, MM, marked_content, text_runs
from scr import pdf
from scr.templates import TEMPLATE_DIR
from test_pdf_ua import title_block_labels

EDGE_MM = 10  # what many printers cannot print: the outer 5 mm, and more on some


@pytest.fixture(scope="session")
def site_pdfs(site) -> list[Path]:
    found = sorted((site / "downloads").glob("*.pdf"))
    assert len(found) > 20, "every document, the handbook, the briefings and the form"
    return found


def questions_apart_from_their_heading(path: Path) -> list[str]:
    """In a form, 'page N: heading' for every heading whose first question (form field) is on a later page."""
    found, heading = [], None
    for content in marked_content(path):
        if any(tag in HEADINGS for tag in content.tags) and content.text.strip():
            if heading is None or heading.tags != content.tags or heading.page != content.page:
                heading = content
        elif heading is not None and "/Form" in content.tags:
            if content.page != heading.page:
                found.append(f"page {heading.page + 1}: {heading.text.strip()!r}")
            heading = None
    return found


def page_ends(path: Path) -> dict[int, object]:
    """The last piece of text on each page, in reading order (the structure tree's: running headers and footers
    are not in it)."""
    last = {}
    for content in marked_content(path):
        if content.text.strip():
            last[content.page] = content
    return last


def headings_at_foot(path: Path) -> list[str]:
    """'page N: heading' for every page whose text ends with a heading, its content on the next page."""
    ends = page_ends(path)
    final = max(ends, default=-1)
    return [
        f"page {page + 1}: {content.text.strip()!r}"
        for page, content in sorted(ends.items())
        if page != final and any(tag in HEADINGS for tag in content.tags)
    ]


def test_no_page_of_any_pdf_ends_with_a_heading(site_pdfs):
    found = {path.name: headings_at_foot(path) for path in site_pdfs}
    assert {name: pages for name, pages in found.items() if pages} == {}


def test_in_the_form_every_heading_is_on_the_page_of_its_first_question(site_pdfs):
    forms = [path for path in site_pdfs if "/Form" in {t for c in marked_content(path) for t in c.tags}]
    assert forms, "the fillable form"
    found = {path.name: questions_apart_from_their_heading(path) for path in forms}
    assert {name: pages for name, pages in found.items() if pages} == {}


def test_the_heading_check_finds_a_heading_left_at_the_foot_of_a_page(tmp_path):
    """A heading followed by a forced page break ends its page: the check reports it, with its page."""
    html = """<html lang="en-GB"><head><title>T</title></head><body><h1>T</h1><p>Text.</p>
    <h2>Left alone</h2><p style="break-before: page">Its text, on the next page.</p></body></html>"""
    path = pdf.render_all([pdf.Job.from_html("t.pdf", html)], tmp_path / "cache", workers=1)[0].path
    assert headings_at_foot(path) == ["page 1: 'Left alone'"]


def test_no_page_holds_only_the_owner_and_review_block(site_pdfs):
    """The owner and review block stays with the end of its document. A page that begins with it holds nothing
    else (in the handbook the next document starts on a new page), which wastes a sheet in print."""
    first_label = title_block_labels()[0]
    for path in site_pdfs:
        starts = {}
        for content in marked_content(path):
            if content.text.strip() and content.page not in starts:
                starts[content.page] = content
        alone = [page + 1 for page, c in starts.items() if "/TH" in c.tags and c.text.strip() == first_label]
        assert not alone, f"{path.name}: pages {alone} begin with the owner and review block"


def test_headers_footers_and_text_keep_10_mm_from_the_paper_edge(site_pdfs):
    """Everything printed, the running header and "Page N of M" included, is at least 10 mm from the top and the
    bottom of the paper."""
    for path in site_pdfs:
        with pikepdf.open(path) as document:
            heights = [float(page.mediabox[3]) for page in document.pages]
        for run in text_runs(path):
            top = heights[run.page] - (run.baseline + 0.8 * run.size)
            bottom = run.baseline - 0.25 * run.size
            assert min(top, bottom) >= EDGE_MM * MM, (
                f"{path.name} page {run.page + 1}: {run.text!r} is {min(top, bottom) / MM:.1f} mm from the edge"
            )


def page_margins_mm() -> tuple[float, float, float, float]:
    """The print stylesheet's page margins (top, right, bottom, left) in millimetres."""
    css = (TEMPLATE_DIR / "print" / "print.css").read_text(encoding="utf-8")
    rule = re.search(r"@page\s*\{[^}]*?margin:\s*([\d.]+)mm\s+([\d.]+)mm\s+([\d.]+)mm\s+([\d.]+)mm", css)
    assert rule, "print.css has a first @page rule with four margins in mm"
    return tuple(float(value) for value in rule.groups())


def image_boxes(path: Path) -> list[tuple[int, tuple[float, float, float, float]]]:
    """(page, (x0, y0, x1, y1)) of every raster image drawn, in points, from the content streams."""
    found = []
    with pikepdf.open(path) as document:
        for number, page in enumerate(document.pages):
            _draw(page.obj, page.obj.get("/Resources", pikepdf.Dictionary()), [1, 0, 0, 1, 0, 0], number, found)
    return found


def _multiply(m, n):
    a, b, c, d, e, f = m
    g, h, i, j, k, l = n  # noqa: E741
    return [a * g + b * i, a * h + b * j, c * g + d * i, c * h + d * j, e * g + f * i + k, e * h + f * j + l]


def _draw(owner, resources, ctm, number, found) -> None:
    stack = []
    for operands, operator in pikepdf.parse_content_stream(owner):
        op = str(operator)
        if op == "q":
            stack.append(ctm)
        elif op == "Q":
            ctm = stack.pop()
        elif op == "cm":
            ctm = _multiply([float(v) for v in operands], ctm)
        elif op == "Do":
            xobject = resources.get("/XObject", pikepdf.Dictionary()).get(str(operands[0]))
            if xobject is None:
                continue
            if xobject.get("/Subtype") == "/Image":
                corners = [
                    (x * ctm[0] + y * ctm[2] + ctm[4], x * ctm[1] + y * ctm[3] + ctm[5]) for x in (0, 1) for y in (0, 1)
                ]
                xs, ys = [c[0] for c in corners], [c[1] for c in corners]
                found.append((number, (min(xs), min(ys), max(xs), max(ys))))
            elif xobject.get("/Subtype") == "/Form":
                matrix = [float(v) for v in xobject.get("/Matrix", [1, 0, 0, 1, 0, 0])]
                _draw(xobject, xobject.get("/Resources", resources), _multiply(matrix, ctm), number, found)


def wide_png(path: Path, width: int, height: int) -> None:
    from PIL import Image, ImageDraw

    image = Image.new("RGB", (width, height), "white")
    ImageDraw.Draw(image).rectangle([0, 0, width - 1, height - 1], outline="black", width=8)
    image.save(path)


def test_an_editors_1600_px_image_fits_the_text_width_in_the_page_pdf_and_the_handbook(
    built, pdf_cache, project_copy, tmp_path
):
    """An editor adds a 1600 px and an 800 px wide image to a page: in its PDF and in the handbook each is drawn
    inside the page's margins, at its own shape."""
    src = next(s for s in guidance_sources() if not s.startswith("practice-themes/") and s != "index.md")
    images = project_copy / "docs" / "assets" / "images"
    images.mkdir(parents=True, exist_ok=True)
    sizes = {"wide-1600.png": (1600, 400), "wide-800.png": (800, 400)}
    for name, (width, height) in sizes.items():
        wide_png(images / name, width, height)
    page = project_copy / "docs" / src
    up = "../" * src.count("/")
    page.write_text(
        page.read_text(encoding="utf-8")
        + "".join(f"\n![A test diagram {w} pixels wide]({up}assets/images/{n})\n" for n, (w, _) in sizes.items()),
        encoding="utf-8",
    )
    cache = tmp_path / "cache"
    shutil.copytree(pdf_cache, cache)
    result = build_site(project_copy, tmp_path / "out", {"SCR_PDF": "1", "SCR_PDF_CACHE": str(cache)})
    assert result.returncode == 0, result.stdout + result.stderr
    top, right, bottom, left = (value * MM for value in page_margins_mm())
    # Every raster image the site has (ours and any an editor added) keeps its shape wherever it is drawn.
    from PIL import Image

    shapes = []
    for image in (project_copy / "docs").rglob("*"):
        if image.suffix.lower() in (".png", ".jpg", ".jpeg", ".gif", ".webp"):
            with Image.open(image) as opened:
                shapes.append(opened.width / opened.height)
    for name in (pdf.slug_for(src) + ".pdf", "scr-guidance-handbook.pdf"):
        path = tmp_path / "out" / "downloads" / name
        with pikepdf.open(path) as document:
            sizes_pt = [(float(p.mediabox[2]), float(p.mediabox[3])) for p in document.pages]
        drawn = image_boxes(path)
        drawn_shapes = [(x1 - x0) / (y1 - y0) for _, (x0, y0, x1, y1) in drawn]
        for ours in (4, 2):  # 1600 x 400 and 800 x 400
            assert any(shape == pytest.approx(ours, rel=0.02) for shape in drawn_shapes), f"{name}: {ours}:1 not drawn"
        for number, (x0, y0, x1, y1) in drawn:
            width, height = sizes_pt[number]
            assert x0 >= left - 0.5 and x1 <= width - right + 0.5, f"{name} page {number + 1}: x {x0:.0f}-{x1:.0f}"
            assert y0 >= bottom - 0.5 and y1 <= height - top + 0.5, f"{name} page {number + 1}: y {y0:.0f}-{y1:.0f}"
            shape = (x1 - x0) / (y1 - y0)
            assert any(shape == pytest.approx(known, rel=0.02) for known in shapes), f"{name}: shape {shape:.2f} kept"
