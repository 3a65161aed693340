"""Every PDF on the site checked as a machine checks PDF/UA-1 (ISO 14289-1), with pikepdf, and by qpdf."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path, PurePosixPath

import pikepdf
import pytest
from bs4 import BeautifulSoup
from pdf_structure import elements
from scr.templates import TEMPLATE_DIR
from test_pdfs import form_pdf_name

pytestmark = pytest.mark.full  # qpdf and the PDF/UA check: `make test` only


@pytest.fixture(scope="session")
def site_pdfs(site, pages) -> list[Path]:
    found = sorted((site / "downloads").glob("*.pdf"))
    offered = {PurePosixPath(a["href"]).name for page in pages.values() for a in page.select("a[href$='.pdf']")}
    assert {path.name for path in found} == offered, "every PDF the site offers is checked, and only those"
    return found


def pdf_ua_problems(path: Path) -> list[str]:
    """What a PDF/UA-1 checker would report for the parts a machine can judge (the rest needs a person)."""
    problems = []
    header = path.read_bytes()[:8].decode("latin-1")
    version = re.fullmatch(r"%PDF-(\d\.\d)", header)
    if not version or float(version.group(1)) < 1.7:
        problems.append(f"header {header!r}: PDF/UA-1 is PDF 1.7")
    with pikepdf.open(path) as pdf:
        root = pdf.Root
        if root.get("/MarkInfo", {}).get("/Marked") is not True:
            problems.append("/MarkInfo /Marked is not true")
        if "/StructTreeRoot" not in root:
            return [*problems, "no structure tree"]
        if not str(root.get("/Lang", "")).strip():
            problems.append("no /Lang")
        if root.get("/ViewerPreferences", {}).get("/DisplayDocTitle") is not True:
            problems.append("/ViewerPreferences /DisplayDocTitle is not true")
        metadata = pdf.open_metadata()
        if str(metadata.get("pdfuaid:part", "")) != "1":
            problems.append("no pdfuaid:part 1 in the XMP metadata")
        if not str(metadata.get("dc:title", "")).strip():
            problems.append("no dc:title in the XMP metadata")
        problems += _widget_problems(pdf)
        problems += _table_problems(pdf)
        problems += _list_problems(pdf)
        problems += _font_problems(pdf)
    return problems


def _parent_tree(pdf: pikepdf.Pdf) -> dict[int, object]:
    return {int(k): v for k, v in pikepdf.NumberTree(pdf.Root.StructTreeRoot.ParentTree).items()}


def _widget_problems(pdf: pikepdf.Pdf) -> list[str]:
    """Every widget in the structure tree inside a /Form element (through /StructParent and the
    parent tree, with an object reference back to it), and with a tooltip (/TU) to name it."""
    problems = []
    parents = _parent_tree(pdf)
    for number, page in enumerate(pdf.pages, start=1):
        for annot in page.get("/Annots", []):
            if annot.get("/Subtype") != "/Widget":
                continue
            where = f"page {number} widget {annot.get('/T', annot.get('/Parent', {}).get('/T', '?'))}"
            element = parents.get(int(annot.get("/StructParent", -1)))
            if element is None or element.get("/S") != "/Form":
                problems.append(f"{where}: not in the structure tree under /Form")
            else:
                kids = element.K if isinstance(element.K, pikepdf.Array) else [element.K]
                if not any(isinstance(k, pikepdf.Dictionary) and k.get("/Obj") == annot for k in kids):
                    problems.append(f"{where}: its /Form element does not point back at it")
            if not str(annot.get("/TU", "")).strip():
                problems.append(f"{where}: no /TU")
    return problems


def _table_problems(pdf: pikepdf.Pdf) -> list[str]:
    problems = []
    stack, seen = [pdf.Root.StructTreeRoot], set()
    while stack:
        node = stack.pop()
        if not isinstance(node, pikepdf.Dictionary) or node.objgen in seen:
            continue
        seen.add(node.objgen)
        if node.get("/S") == "/TH":
            attributes = node.get("/A")
            attributes = list(attributes) if isinstance(attributes, pikepdf.Array) else [attributes]
            scopes = [a.get("/Scope") for a in attributes if isinstance(a, pikepdf.Dictionary)]
            if not any(scope in ("/Row", "/Column", "/Both") for scope in scopes):
                problems.append("a table header cell (/TH) has no /Scope")
        kids = node.get("/K")
        stack.extend(kids if isinstance(kids, pikepdf.Array) else [kids] if kids is not None else [])
    return problems


LIST_KIDS = {"/L": ("/LI", "/L", "/Caption"), "/LI": ("/Lbl", "/LBody")}


def _list_problems(pdf: pikepdf.Pdf) -> list[str]:
    """A list (/L) holds list items (/LI), nested lists and a caption; a list item holds only its label (/Lbl) and
    body (/LBody): text, links or other elements straight in an /L or /LI break a screen reader's list."""
    problems = set()
    stack, seen = [pdf.Root.StructTreeRoot], set()
    while stack:
        node = stack.pop()
        if not isinstance(node, pikepdf.Dictionary) or node.objgen in seen:
            continue
        seen.add(node.objgen)
        kids = node.get("/K")
        kids = list(kids) if isinstance(kids, pikepdf.Array) else [] if kids is None else [kids]
        allowed = LIST_KIDS.get(str(node.get("/S", "")))
        if allowed:
            for kid in kids:
                tag = str(kid.get("/S", "marked content")) if isinstance(kid, pikepdf.Dictionary) else "marked content"
                if tag not in allowed:
                    problems.add(f"a {node.S} holds {tag}, not {' or '.join(allowed)}")
        stack.extend(kids)
    return sorted(problems)


def _font_problems(pdf: pikepdf.Pdf) -> list[str]:
    problems = []
    for obj in pdf.objects:
        if isinstance(obj, pikepdf.Dictionary) and obj.get("/Type") == "/FontDescriptor":
            if not any(key in obj for key in ("/FontFile", "/FontFile2", "/FontFile3")):
                problems.append(f"font {obj.get('/FontName')} is not embedded")
    return problems


def test_every_pdf_passes_the_pdf_ua_machine_checks(site_pdfs):
    found = {path.name: pdf_ua_problems(path) for path in site_pdfs}
    assert {name: problems for name, problems in found.items() if problems} == {}


def test_the_checker_reports_what_it_checks(site, tmp_path):
    """The checker is not a rubber stamp: a form with its tagging and names stripped fails it."""
    broken = tmp_path / "broken.pdf"
    with pikepdf.open(site / "downloads" / form_pdf_name()) as pdf:
        del pdf.Root.MarkInfo
        del pdf.Root.ViewerPreferences
        for page in pdf.pages:
            for annot in page.get("/Annots", []):
                if "/TU" in annot:
                    del annot["/TU"]
        pdf.save(broken, min_version="1.7")
    problems = pdf_ua_problems(broken)
    assert "/MarkInfo /Marked is not true" in problems
    assert "/ViewerPreferences /DisplayDocTitle is not true" in problems
    assert any(problem.endswith("no /TU") for problem in problems)


def render_unfinished(html: str, path: Path) -> Path:
    """WeasyPrint's own PDF/UA output, without the project's finishing step."""
    from weasyprint import HTML

    HTML(string=html).write_pdf(path, pdf_variant="pdf/ua-1")
    return path


LIST = """<html lang="en-GB"><head><title>List</title></head><body><h1>List</h1>
<ol><li><p>Talk to the child <a href="https://example.org/">alone</a>.</p></li><li><p>Write it down.</p></li></ol>
</body></html>"""


def test_the_checker_wants_label_and_body_in_every_list_item(tmp_path):
    """WeasyPrint puts a list item's paragraphs (as in footnotes and loose lists) straight into its /LI: the check
    finds it, and the finished PDF, with each item's content in an /LBody after its /Lbl, passes."""
    from scr import pdf_finish

    raw = render_unfinished(LIST, tmp_path / "raw.pdf")
    assert "a /LI holds /P, not /Lbl or /LBody" in pdf_ua_problems(raw)
    finished = tmp_path / "finished.pdf"
    finished.write_bytes(pdf_finish.finish(raw.read_bytes()))
    assert pdf_ua_problems(finished) == []
    items = [e for e in elements(finished) if e.tag == "/LI"]
    assert [[kid.tag for kid in item.kids] for item in items] == [["/Lbl", "/LBody"]] * 2
    assert [item.kids[1].text for item in items] == ["Talk to the child alone.", "Write it down."]


OLD_TITLE_BLOCK = """<html lang="en-GB"><head><title>Old</title></head><body><h1>Old</h1>
<dl class="title-block"><div><dt>Owner</dt><dd>Team</dd></div><div><dt>Last reviewed</dt><dd>1 May 2026</dd></div></dl>
</body></html>"""


def test_the_checker_rejects_the_owner_block_tagged_as_a_list(tmp_path):
    """The owner and review block as it was (a <dl> of label and value pairs) is a list of separate labels and
    values to a screen reader: the check reports it, finished or not."""
    from scr import pdf_finish

    raw = render_unfinished(OLD_TITLE_BLOCK, tmp_path / "raw.pdf")
    finished = tmp_path / "finished.pdf"
    finished.write_bytes(pdf_finish.finish(raw.read_bytes()))
    assert "a /L holds /Div, not /LI or /L or /Caption" in pdf_ua_problems(finished)


def title_block_labels() -> list[str]:
    """The labels of the owner and review block, as the print template writes them."""
    template = (TEMPLATE_DIR / "print" / "title-block.html").read_text(encoding="utf-8")
    return [th.get_text(" ", strip=True) for th in BeautifulSoup(template, "html.parser").find_all("th")]


def title_blocks(path: Path) -> list:
    """The owner and review blocks of a PDF: tables whose header cells are the template's labels."""
    labels = title_block_labels()
    found = []
    for table in (e for e in elements(path) if e.tag == "/Table"):
        headers = [e for e in _descendants(table) if e.tag == "/TH"]
        if [header.text.strip() for header in headers] == labels:
            found.append(table)
    return found


def _descendants(element) -> list:
    found = []
    for kid in element.kids:
        found += [kid, *_descendants(kid)]
    return found


def test_the_owner_and_review_block_is_a_table_of_labelled_values_in_every_pdf(site_pdfs):
    """Every PDF but the form ends each document with its owner and review dates: a table whose column headers
    (with /Scope) label one row of values, never a list. The handbook has one for each document."""
    labels = title_block_labels()
    assert len(labels) >= 3 and "Owner" in labels
    documents = [p for p in site_pdfs if not p.name.endswith("-briefing.pdf") and "handbook" not in p.name]
    for path in site_pdfs:
        with pikepdf.open(path) as pdf:
            if "/AcroForm" in pdf.Root:
                continue
        blocks = title_blocks(path)
        expected = len([p for p in documents if not _is_form(p)]) if "handbook" in path.name else 1
        assert len(blocks) == expected, f"{path.name}: {len(blocks)} owner blocks tagged as tables, not {expected}"
        for block in blocks:
            headers = [e for e in _descendants(block) if e.tag == "/TH"]
            assert all(any(a.get("/Scope") == "/Column" for a in h.attributes) for h in headers), path.name
            rows = [e for e in _descendants(block) if e.tag == "/TR"]
            assert [len([c for c in row.kids if c.tag == "/TD"]) for row in rows] == [0, len(labels)], path.name
        lists = [e for e in elements(path) if e.tag == "/L"]
        assert not any(labels[0] in e.text and labels[1] in e.text for e in lists), f"{path.name}: block in a list"


def _is_form(path: Path) -> bool:
    with pikepdf.open(path) as pdf:
        return "/AcroForm" in pdf.Root


def test_qpdf_finds_no_error_or_warning_in_any_pdf(site_pdfs):
    for path in site_pdfs:
        result = subprocess.run(["qpdf", "--check", str(path)], capture_output=True, text=True)
        assert result.returncode == 0, f"{path.name}:\n{result.stdout}{result.stderr}"
        assert "WARNING" not in result.stdout + result.stderr, f"{path.name}:\n{result.stdout}{result.stderr}"


SMALL_FORM = """<html lang="en-GB"><head><title>Small form</title></head><body><h1>Small form</h1>
<table><thead><tr><th>Review</th><th>Year</th></tr></thead>
<tbody><tr><th scope="row">Child A</th><td>2019</td></tr></tbody></table>
<form><p><label for="n">Your name</label> <input type="text" id="n" name="n"></p>
<p>Was there a plan?</p>
<p><input type="radio" name="plan" value="Yes" title="Was there a plan?"> Yes</p>
<p><input type="radio" name="plan" value="Not known" title="Was there a plan?"> Not known</p>
<p><input type="checkbox" name="police" title="Which agencies? Police"> Police</p></form></body></html>"""


def test_finishing_is_reproducible_and_gives_scopes_fields_and_names(tmp_path):
    """Two renders of a small form give the same bytes; headers carry their scope; the radio question is
    one field whose options are its kids, each with on and /Off appearances and a name."""
    from scr import pdf

    job = pdf.Job.from_html("small.pdf", SMALL_FORM, forms=True)
    first = pdf.render_all([job], tmp_path / "one")[0].path
    second = pdf.render_all([job], tmp_path / "two")[0].path
    assert first.read_bytes() == second.read_bytes()
    assert pdf_ua_problems(first) == []
    with pikepdf.open(first) as document:
        scopes = []
        stack = [document.Root.StructTreeRoot]
        while stack:
            node = stack.pop()
            if isinstance(node, pikepdf.Dictionary):
                if node.get("/S") == "/TH":
                    scopes.append(str(node.A.Scope))
                kids = node.get("/K")
                stack.extend(kids if isinstance(kids, pikepdf.Array) else [kids] if kids is not None else [])
        assert sorted(scopes) == ["/Column", "/Column", "/Row"]
        acroform = document.Root.AcroForm
        assert acroform.NeedAppearances is False
        assert sorted(str(field.T) for field in acroform.Fields) == ["n", "plan", "police"]
        plan = next(field for field in acroform.Fields if field.T == "plan")
        assert [sorted(str(k) for k in kid.AP.N.keys()) for kid in plan.Kids] == [
            ["/Off", "/Yes"],
            ["/Not-known", "/Off"],
        ]
        assert [str(kid.TU) for kid in plan.Kids] == ["Was there a plan? Yes", "Was there a plan? Not known"]
        assert all(kid.AS == "/Off" and "/T" not in kid for kid in plan.Kids)
        police = next(field for field in acroform.Fields if field.T == "police")
        assert sorted(str(k) for k in police.AP.N.keys()) == ["/Off", "/Yes"] and police.AS == "/Off"
        name = next(field for field in acroform.Fields if field.T == "n")
        font = re.search(r"/(\S+) [\d.]+ Tf", str(name.DA)).group(1)
        assert f"/{font}" in acroform.DR.Font and not re.search(r"\bgs\b", str(name.DA))
