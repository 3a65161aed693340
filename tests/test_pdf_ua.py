"""Every PDF on the site checked as a machine checks PDF/UA-1 (ISO 14289-1), with pikepdf, and by qpdf."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path, PurePosixPath

import pikepdf
import pytest


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
    with pikepdf.open(site / "downloads" / "scr-referral-form.pdf") as pdf:
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
