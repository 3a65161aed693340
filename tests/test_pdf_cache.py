"""The PDF cache can never publish a stale or damaged file, and parallel rendering works with every start method."""

from __future__ import annotations

import datetime
import json
import re
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from conftest import ROOT, build_site, guidance_sources, import_script
from pypdf import PdfReader
from scr import pdf
from scr.errors import EditorError

pytestmark = pytest.mark.full  # cold builds of their own: `make test` only

PAGE = "<html lang='en-GB'><head><title>{0}</title></head><body><h1>{0}</h1><p>{0} text.</p></body></html>"
PIXEL = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c63f8cfc0f01f0005000201a5d7e6e40000000049454e44ae426082"
)


def job(title: str = "T") -> pdf.Job:
    return pdf.Job.from_html(f"{title.lower()}.pdf", PAGE.format(title))


def test_same_input_gives_the_same_bytes_and_the_cache_is_reused(tmp_path):
    first = pdf.render_all([job()], tmp_path / "one")
    second = pdf.render_all([job()], tmp_path / "two")
    assert first[0].rendered and second[0].rendered
    assert first[0].path.read_bytes() == second[0].path.read_bytes()
    again = pdf.render_all([job()], tmp_path / "one")
    assert not again[0].rendered and again[0].pages == 1


@pytest.mark.parametrize("damage", ["cut-short", "empty-record", "record-not-json", "pdf-missing", "wrong-hash"])
def test_a_damaged_cache_entry_is_rendered_again_not_published(tmp_path, damage):
    cache = tmp_path / "cache"
    (good,) = pdf.render_all([job()], cache)
    record = good.path.with_suffix(".json")
    if damage == "cut-short":
        good.path.write_bytes(good.path.read_bytes()[:1000])
    elif damage == "empty-record":
        record.write_text("", encoding="utf-8")
    elif damage == "record-not-json":
        record.write_text("{pages: 1", encoding="utf-8")
    elif damage == "pdf-missing":
        good.path.unlink()
    else:
        record.write_text(json.dumps({**json.loads(record.read_text()), "sha256": "0" * 64}), encoding="utf-8")
    (again,) = pdf.render_all([job()], cache)
    assert again.rendered, "a damaged entry was served from the cache"
    assert PdfReader(again.path).pages[0].extract_text().startswith("T")
    assert not list(cache.rglob(".tmp-*")), "a temporary file was left behind"


def _fingerprint_of(monkeypatch, hooks: Path) -> str:
    monkeypatch.setattr(pdf, "HOOKS_DIR", hooks)
    monkeypatch.setattr(pdf, "PACKAGE_DIR", hooks / "scr")
    monkeypatch.setattr(pdf, "TEMPLATE_DIR", hooks / "templates")
    monkeypatch.setattr(pdf, "PRINT_CSS", hooks / "templates/print/print.css")
    pdf.renderer_fingerprint.cache_clear()
    try:
        return pdf.renderer_fingerprint()
    finally:
        pdf.renderer_fingerprint.cache_clear()


@pytest.mark.parametrize(
    "change",
    [
        "form.py",  # a module the form's rendering uses
        "templates.py",  # the date filter the print templates use
        "a-new-module.py",  # a module added later (e.g. a post-processing step) counts without a list to update
        "print.css",
        "print-template",
        "weasyprint-version",
        "pypdf-version",
        "font",
    ],
)
def test_the_cache_key_changes_with_every_input_of_the_renderer(monkeypatch, tmp_path, change):
    hooks = tmp_path / "hooks"
    shutil.copytree(ROOT / "hooks", hooks, ignore=shutil.ignore_patterns("__pycache__"))
    font = tmp_path / "font.ttf"
    font.write_bytes(b"font")
    monkeypatch.setattr(pdf, "_font_files", lambda: [font])
    before = _fingerprint_of(monkeypatch, hooks)
    assert _fingerprint_of(monkeypatch, hooks) == before, "the key is not stable"
    if change in ("form.py", "templates.py"):
        path = hooks / "scr" / change
        path.write_text(path.read_text(encoding="utf-8") + "\n# changed\n", encoding="utf-8")
    elif change == "a-new-module.py":
        (hooks / "scr" / "acroform.py").write_text("FIX = 1\n", encoding="utf-8")
    elif change == "print.css":
        path = hooks / "templates/print/print.css"
        path.write_text(path.read_text(encoding="utf-8") + "\nh1 { color: red; }\n", encoding="utf-8")
    elif change == "print-template":
        path = hooks / "templates/print/form.html"
        path.write_text(path.read_text(encoding="utf-8").replace("Confidential", "Private"), encoding="utf-8")
    elif change.endswith("-version"):
        name = change.removesuffix("-version")
        real = pdf.metadata.version
        monkeypatch.setattr(pdf.metadata, "version", lambda dist: "999.0" if dist == name else real(dist))
    else:
        font.write_bytes(b"a different font")
    assert _fingerprint_of(monkeypatch, hooks) != before, f"changing {change} does not renew the cache"


def _fail_on_bad(task):
    """A renderer that fails for one document (used with fork, so the workers see it)."""
    if "BAD" in task[0]:
        raise RuntimeError("this document cannot be rendered")
    return pdf._real_render(task)


def test_one_failed_job_keeps_every_finished_pdf(monkeypatch, tmp_path):
    monkeypatch.setattr(pdf, "_real_render", pdf._render, raising=False)
    monkeypatch.setattr(pdf, "_render", _fail_on_bad)
    cache = tmp_path / "cache"
    good = [job("One"), job("Two")]
    with pytest.raises(RuntimeError, match="cannot be rendered"):
        pdf.render_all([*good, job("BAD")], cache, workers=2, method="fork")
    monkeypatch.setattr(pdf, "_render", pdf._real_render)
    results = pdf.render_all(good, cache, workers=1)
    assert [r.rendered for r in results] == [False, False], "finished PDFs were lost with the failed one"


WORKER_SCRIPT = """
import sys
from pathlib import Path
hooks = sys.argv[1]
sys.path.insert(0, hooks)
from scr import pdf
from scr.errors import EditorError
sys.path.remove(hooks)  # as MkDocs does once the hook is imported
page = "<html lang='en-GB'><head><title>{0}</title></head><body><h1>{0}</h1></body></html>"
jobs = [pdf.Job.from_html(f"{n}.pdf", page.format(n)) for n in ("One", "Two")]
results = pdf.render_all(jobs, Path(sys.argv[2]), workers=2, method=sys.argv[3])
print([(r.name, r.rendered, r.pages) for r in results])
"""


@pytest.mark.parametrize("method", ["fork", "forkserver", "spawn"])
def test_parallel_rendering_works_with_every_start_method(tmp_path, method):
    result = subprocess.run(
        [sys.executable, "-c", WORKER_SCRIPT, str(ROOT / "hooks"), str(tmp_path / "cache"), method],
        capture_output=True,
        text=True,
        timeout=300,
        cwd=tmp_path,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "[('One.pdf', True, 1), ('Two.pdf', True, 1)]"


def test_images_in_a_page_are_in_its_pdf(tmp_path):
    image = tmp_path / "diagram.png"
    image.write_bytes(PIXEL)
    doc = pdf.PrintDocument(
        "guide/a.md",
        "a",
        "https://example.org/site/guide/a/",
        "A",
        "Owner",
        None,
        None,
        '<h1 id="a">A</h1><p><img alt="The process" src="../../images/diagram.png"></p>',
    )
    assets = {"https://example.org/site/images/diagram.png": str(image)}
    html = pdf.prepare(doc, {"a": doc.url}, {}, assets=assets)
    assert 'src="data:image/png;base64,' in html
    (result,) = pdf.render_all(
        [pdf.Job.from_html("a.pdf", PAGE.format("A").replace("</h1>", "</h1>" + html))], tmp_path
    )
    page = PdfReader(result.path).pages[0]
    assert any(
        obj.get_object().get("/Subtype") == "/Image" for obj in page["/Resources"].get("/XObject", {}).values()
    ), "the PDF has no image"
    # The image's bytes are part of the document's cheap key: a new image renews the PDF.
    before = pdf.image_hashes(doc, assets)
    image.write_bytes(PIXEL + b"\0")
    assert pdf.image_hashes(doc, assets) != before


def test_the_offline_build_reuses_every_pdf_of_the_main_build(built, pdf_cache, tmp_path):
    """`make build`'s two builds, from cold: each PDF is rendered once, and both builds publish the same bytes."""
    site_dir, log = built
    assert re.search(r"PDFs: (\d+) rendered, 0 reused", log), log
    offline = build_site(
        ROOT,
        tmp_path / "offline",
        {"SCR_PDF": "1", "SCR_OFFLINE_COPY": "1", "SCR_PDF_CACHE": str(pdf_cache)},
        "mkdocs-offline.yml",
    )
    assert offline.returncode == 0, offline.stderr
    assert re.search(r"PDFs: 0 rendered, \d+ reused from cache", offline.stderr), offline.stderr
    made = sorted(p.name for p in (site_dir / "downloads").glob("*.pdf"))
    assert made == sorted(p.name for p in (tmp_path / "offline/downloads").glob("*.pdf"))
    for name in made:
        assert (site_dir / "downloads" / name).read_bytes() == (tmp_path / "offline/downloads" / name).read_bytes()
    # The zip `make build` publishes: every page as a file, the PDFs, the local search and shim, and the
    # same bytes each time it is made from the same files.
    make_offline_zip = import_script("make_offline_zip")
    make_offline_zip.make_zip(tmp_path / "offline", tmp_path / "one.zip")
    make_offline_zip.make_zip(tmp_path / "offline", tmp_path / "two.zip")
    assert (tmp_path / "one.zip").read_bytes() == (tmp_path / "two.zip").read_bytes()
    with zipfile.ZipFile(tmp_path / "one.zip") as archive:
        names = {n.removeprefix("scr-guidance-offline/") for n in archive.namelist()}
        assert all(n.startswith("scr-guidance-offline/") for n in archive.namelist())
        for src in guidance_sources():
            assert src.removesuffix(".md") + ".html" in names, f"{src} is not in the offline zip"
        for name in made:
            assert (
                archive.read(f"scr-guidance-offline/downloads/{name}") == (site_dir / "downloads" / name).read_bytes()
            )
    assert {"index.html", "404.html", "assets/javascripts/iframe-worker-shim.js", "search/search_index.js"} <= names
    assert "_headers" not in names, "the offline copy has no server: no headers file"


def test_source_date_epoch_sets_every_pdfs_date_and_is_part_of_the_key(tmp_path):
    """With SOURCE_DATE_EPOCH, a real document's PDF carries that date, and two cold renders are identical. (Two cold
    builds of the whole site giving the same PDFs: tests/test_properdocs.py, whose build renders every PDF afresh.)"""
    reviewed, due = datetime.date(2025, 6, 1), datetime.date(2026, 6, 1)
    docs = [
        pdf.PrintDocument("a.md", "a", "https://example.org/a/", "A", "Owner", reviewed, due, "<h1>A</h1><p>Text</p>")
    ]
    site = {"organisation": "Board", "name": "Site", "url": "https://example.org/", "created": "2026-01-01T00:00:00Z"}
    jobs = pdf.document_jobs(docs, site, {}, {}, "handbook.pdf")
    first = pdf.render_all(jobs, tmp_path / "one", workers=1)
    second = pdf.render_all(jobs, tmp_path / "two", workers=1)
    for one, two in zip(first, second, strict=True):
        assert one.path.read_bytes() == two.path.read_bytes()
        assert PdfReader(one.path).metadata["/CreationDate"].startswith("D:20260101000000")
    later = pdf.document_jobs(docs, {**site, "created": "2027-01-01T00:00:00Z"}, {}, {}, "handbook.pdf")
    assert {j.key() for j in later}.isdisjoint({j.key() for j in jobs})


@pytest.mark.parametrize(("name", "value"), [("SCR_PDF_START_METHOD", "threads"), ("SCR_PDF_WORKERS", "two")])
def test_a_wrong_rendering_setting_is_a_message_not_a_traceback(project_copy, tmp_path, name, value):
    result = build_site(project_copy, tmp_path / "out", {"SCR_PDF": "1", name: value})
    output = result.stdout + result.stderr
    assert result.returncode != 0 and "Traceback" not in output, output
    assert f"{name}: it is '{value}'." in output and "How to fix it: unset it, or set it to" in output


def test_without_fontconfig_the_cache_stops_with_what_to_install(monkeypatch, tmp_path):
    """The cache key holds the embedded fonts' files, from fc-list: without it a font change would go unseen."""
    monkeypatch.setenv("PATH", str(tmp_path))  # no fc-list anywhere
    with pytest.raises(EditorError) as caught:
        pdf._font_files()
    assert caught.value.path == "fc-list" and "fontconfig" in caught.value.fix
