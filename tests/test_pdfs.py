"""The PDFs as people offline get them: complete, tagged, labelled honestly, fillable, cached."""

from __future__ import annotations

import re
import shutil
from pathlib import Path
from urllib.parse import urljoin

import pytest
from bs4 import BeautifulSoup
from conftest import (
    DOCS,
    ROOT,
    build_site,
    faq_sources,
    form_page,
    guidance_sources,
    mkdocs_config,
    nav_entries,
    page_for,
    plain_page,
    theme_sources,
)
from pdf_structure import document_info, page_count, page_texts
from pypdf import PdfReader, PdfWriter
from scr import form, frontmatter, pdf, register
from scr.downloads import HANDBOOK


def form_pdf_name() -> str:
    """The fillable form's file name, from the form page's `form:` field."""
    return f"{guidance_sources()[form_page()]['form']}-form.pdf"


def squash(text: str) -> str:
    """Text without white space or bracketed asides (PDFs spell out abbreviations in brackets)."""
    return re.sub(r"\([^()]{2,90}\)", "", re.sub(r"\s+", "", text))


def pdf_text(path: Path) -> str:
    return squash(" ".join(page_texts(path)))


@pytest.fixture(scope="session")
def downloads(site) -> Path:
    return site / "downloads"


def test_every_pdf_link_opens_the_document_its_words_name(pages, site):
    """A PDF reader shows the PDF's title: under a page's title, the links open that page's own PDF, form and
    briefing; in a list or the register, the PDF whose title the link's words give."""
    linked = set()
    titles = {}  # each PDF opened once, however many links point at it
    for path, page in pages.items():
        article = page.find("article")
        heading = article.find("h1").get_text(" ", strip=True).rstrip("¶ ") if article and article.find("h1") else ""
        for link in page.select("a[href$='.pdf']"):
            target = ((site / path).parent / link["href"]).resolve()
            linked.add(target)
            if target not in titles:
                titles[target] = document_info(target).get("/Title")
            title = titles[target]
            words = re.sub(r"\s*\(PDF, [^)]*\)$", "", " ".join(link.get_text().split()))
            if link.find_parent(class_="scr-downloads"):  # under the page's title
                expected = f"7-minute briefing: {heading}" if "briefing" in words else heading
            elif words.startswith("PDF: "):  # the register: "PDF" and, for screen readers, the page's title
                expected = words.removeprefix("PDF: ")
            else:
                expected = words
            if target.name in (HANDBOOK, form_pdf_name()) and link.find_parent(class_="scr-downloads-list"):
                continue  # listed by what they are; their titles are checked below and under the form's title
            assert title == expected, f"{path}: the link {words!r} opens {target.name}, titled {title!r}"
    assert len(linked) == len(guidance_sources()) + 2 + len(theme_sources()), "documents, handbook, form, briefings"
    assert document_info(site / "downloads" / HANDBOOK)["/Title"].endswith("handbook")


def last_paragraph(article) -> str:
    skip = ".footnote, .scr-governance, .scr-downloads, .scr-downloads-list, .md-source-file"
    paragraphs = [p for p in article.find_all("p") if not p.find_parent(class_=re.compile("footnote|scr-gov"))]
    paragraphs = [p for p in paragraphs if not p.select_one(skip) and p.get_text(strip=True)]
    return paragraphs[-1].get_text()


def test_each_document_pdf_is_whole_from_title_to_last_paragraph(pages, downloads):
    for src, meta in guidance_sources().items():
        text = pdf_text(downloads / f"{pdf.slug_for(src)}.pdf")
        assert squash(meta["title"]) in text, src
        ending = squash(last_paragraph(pages[page_for(src)].find("article")))
        assert ending[-80:] in text, f"{src}: the PDF stops before the last paragraph"


def test_pdfs_are_tagged_with_language_title_and_bookmarks(downloads):
    for path in downloads.glob("*.pdf"):
        reader = PdfReader(path)
        root = reader.trailer["/Root"]
        assert "/StructTreeRoot" in root and root["/MarkInfo"]["/Marked"], f"{path.name} is not tagged"
        assert root["/Lang"] == "en-GB", path.name
        assert reader.metadata.title, path.name
        assert reader.outline, f"{path.name} has no bookmarks"
        fonts = [f for page in reader.pages for f in page["/Resources"].get("/Font", {}).values()]
        assert all(
            "/FontFile2" in f.get_object()["/DescendantFonts"][0]["/FontDescriptor"]
            or "/FontFile3" in f.get_object()["/DescendantFonts"][0]["/FontDescriptor"]
            for f in fonts
            if "/DescendantFonts" in f.get_object()
        ), f"{path.name}: a font is not embedded"


def test_handbook_has_every_document_in_nav_order_with_bookmarks(downloads, pages):
    reader = PdfReader(downloads / "scr-guidance-handbook.pdf")
    top = [item.title for item in reader.outline if not isinstance(item, list)]
    sources = guidance_sources()
    by_page = {page_for(src): meta["title"] for src, meta in sources.items()}
    # The navigation as a visitor sees it (theme pages included), each link resolved to its page's title.
    nav = []
    for link in pages["index.html"].select("nav.md-nav--primary a.md-nav__link[href]"):
        target = urljoin("/index.html", link["href"]).split("#")[0].lstrip("/")
        target = target + "index.html" if target.endswith("/") or not target else target
        title = by_page.get(target)
        if title and title not in nav:
            nav.append(title)
    assert len(nav) == len(sources), f"pages missing from the navigation: {set(by_page.values()) - set(nav)}"
    assert [title for title in top if title in nav] == nav, "the handbook does not follow the navigation's order"
    # Each document is whole in the handbook: from its bookmark to the next one, its title and its last
    # paragraph, on about as many pages as its own PDF (a page more or less: the title blocks differ).
    tops = [item for item in reader.outline if not isinstance(item, list)]
    starts = [(item.title, reader.get_destination_page_number(item)) for item in tops]
    ends = [start for _, start in starts[1:]] + [len(reader.pages)]
    by_title = {meta["title"]: src for src, meta in sources.items()}
    whole = 0
    for (title, start), end in zip(starts, ends, strict=True):
        if title not in by_title:
            continue
        src = by_title[title]
        shown = squash(" ".join(page_texts(downloads / "scr-guidance-handbook.pdf")[start:end]))
        ending = squash(last_paragraph(pages[page_for(src)].find("article")))
        assert squash(title) in shown and ending[-80:] in shown, f"{src} is not whole in the handbook"
        own = page_count(downloads / f"{pdf.slug_for(src)}.pdf")
        assert abs((end - start) - own) <= 1, f"{src}: {end - start} pages in the handbook, {own} in its own PDF"
        whole += 1
    assert whole == len(sources)
    text = pdf_text(downloads / "scr-guidance-handbook.pdf")
    assert squash("Contents") in text
    # internal links jump inside the PDF (named destinations), not to the web
    assert reader.named_destinations, "no internal destinations in the handbook"


def test_form_has_a_field_for_every_question_with_its_question_as_tooltip(downloads):
    source = (DOCS / form_page()).read_text(encoding="utf-8")
    doc = frontmatter.parse(source, f"docs/{form_page()}")
    sections = form.parse(doc.body, doc.path, doc.body_line)
    questions = form.questions(sections)
    reader = PdfReader(downloads / "scr-referral-form.pdf")
    fields = reader.get_fields()
    expected_type = {"text": "/Tx", "date": "/Tx", "long text": "/Tx", "yes/no": "/Btn", "choose one": "/Btn"}
    for q in questions:
        if q.type == "choose any":
            for index, option in enumerate(q.options, start=1):
                field = fields[f"{q.name}--{index}"]
                named = f"{q.text}{'' if q.text[-1:] in '?.:' else ':'} {option}"  # "Which agencies? Police"
                assert field["/FT"] == "/Btn" and field["/TU"] == named
        elif q.type == "table":
            for row, cells in enumerate(q.table_rows(), start=1):
                for heading, _, name in cells:
                    assert fields[name]["/FT"] == "/Tx" and fields[name]["/TU"] == f"{q.text}, row {row}: {heading}"
        else:
            field = fields[q.name]
            assert field["/FT"] == expected_type[q.type], q.text
            assert field.get("/TU") == q.text, q.text
    long_text = next(q for q in questions if q.type == "long text")
    assert int(fields[long_text.name].get("/Ff", 0)) & (1 << 12), "long answers must be multi-line"
    assert 8 <= len(reader.pages) <= 16, "about ten pages, with room for long answers"
    text = pdf_text(downloads / "scr-referral-form.pdf")
    assert text.count(squash("CONFIDENTIAL when completed")) >= len(reader.pages)
    first_page = squash(reader.pages[0].extract_text())
    extra = mkdocs_config()["extra"]
    send_to = extra["contacts"][extra["form_contact"]]  # who the form says to send it to
    assert squash(send_to["phone"]) in first_page and squash(send_to["name"]) in first_page
    for section in sections:
        assert squash(f"{section.number}. {section.title}") in text, "sections are numbered as on the page"


def test_form_can_be_filled_in_and_read_back(downloads, tmp_path):
    reader = PdfReader(downloads / "scr-referral-form.pdf")
    writer = PdfWriter(clone_from=reader)
    values = {"s1-your-job-title": "Named nurse", "s2-child-s-full-name": "Test Child"}
    for page in writer.pages:
        writer.update_page_form_field_values(page, values, auto_regenerate=False)
    target = tmp_path / "filled.pdf"
    with target.open("wb") as out:
        writer.write(out)
    fields = PdfReader(target).get_fields()
    for name, value in values.items():
        assert fields[name]["/V"] == value
    radio = fields["s2-was-the-child-subject-to-a-child-protection-plan"]
    assert radio["/FT"] == "/Btn" and len(radio.get("/Kids", [])) == 2, "yes/no is one group of two buttons"


def test_download_labels_state_the_real_size_and_page_count(pages, site):
    for path, page in pages.items():
        for link in page.select("a[href$='.pdf']"):
            target = ((site / path).parent / link["href"]).resolve()
            match = re.search(r"\(PDF, (\d+(?:\.\d)?) (KB|MB), (\d+) pages?\)", link.get_text())
            if "scr-visually-hidden" in str(link):
                continue  # the register's short links
            assert match, f"{path}: {link.get_text()!r} does not give type, size and pages"
            size = float(match.group(1)) * (1024 if match.group(2) == "KB" else 1024 * 1024)
            assert abs(size - target.stat().st_size) <= (512 if match.group(2) == "KB" else 60_000), link.get_text()
            assert int(match.group(3)) == page_count(target), link.get_text()


def test_every_guidance_page_links_its_pdf_and_the_register_links_them_all(pages):
    listing = pages[page_for(register.PATH)]
    for src in guidance_sources():
        page = pages[page_for(src)]
        link = next((a for a in page.select(".scr-downloads a") if a.get_text().startswith("Download this")), None)
        target = urljoin("/" + page_for(src), link["href"]) if link else None
        assert target == f"/downloads/{pdf.slug_for(src)}.pdf", src
        assert listing.select_one(f"a[href$='downloads/{pdf.slug_for(src)}.pdf']"), src


def test_external_links_print_their_address_and_internal_ones_point_at_the_live_site():
    doc = pdf.PrintDocument(
        "a.md",
        "a",
        "https://example.org/site/a/",
        "A",
        "Owner",
        None,
        None,
        '<h1 id="a">A</h1><p><a href="../b/#x">B</a> <a href="https://www.gov.uk/x">GOV.UK</a>'
        ' <abbr title="Serious Case Review">SCR</abbr> and <abbr title="Serious Case Review">SCR</abbr>'
        '<a href="#fn:1">1</a></p><details><summary>S</summary><p>hidden</p></details>',
    )
    html = pdf.prepare(doc, {"a": "https://example.org/site/a/", "b": "https://example.org/site/b/"}, {})
    links = {a.get_text(): a for a in BeautifulSoup(html, "html.parser").find_all("a")}
    assert links["B"]["href"] == "https://example.org/site/b/#x" and "external" not in links["B"].get("class", [])
    assert links["GOV.UK"]["href"] == "https://www.gov.uk/x" and "external" in links["GOV.UK"]["class"]
    assert html.count("(Serious Case Review)") == 1 and 'href="#fn:1"' in html and "<details open" in html
    handbook = pdf.prepare(doc, {"a": "https://example.org/site/a/", "b": "https://example.org/site/b/"}, {}, "a")
    assert 'href="#b--x"' in handbook and 'id="a--a"' in handbook and 'href="#a--fn:1"' in handbook


def test_no_change_rebuild_renders_no_pdf_and_one_edit_renders_two(built, pdf_cache, project_copy, tmp_path):
    site_dir, log = built
    cache = tmp_path / "cache"
    shutil.copytree(pdf_cache, cache)
    again = build_site(ROOT, tmp_path / "again", {"SCR_PDF_CACHE": str(cache), "SCR_OFFLINE_ZIP": "1"})
    assert again.returncode == 0, again.stderr
    assert re.search(r"PDFs: 0 rendered, \d+ reused from cache", again.stderr), again.stderr
    page = project_copy / "docs" / plain_page()
    page.write_text(page.read_text(encoding="utf-8") + "\nThis sentence was added in a test.\n", encoding="utf-8")
    edited = build_site(
        project_copy, tmp_path / "edited", {"SCR_PDF": "1", "SCR_PDF_CACHE": str(cache), "SCR_OFFLINE_ZIP": "1"}
    )
    assert edited.returncode == 0, edited.stderr
    assert re.search(r"PDFs: 2 rendered", edited.stderr), "the page's PDF and the handbook, nothing else"
    assert (
        "This sentence was added in a test."
        in PdfReader(tmp_path / "edited/downloads" / (page.stem + ".pdf")).pages[-1].extract_text()
    )


def test_serve_preview_skips_pdfs_and_says_how_to_make_them(project_copy):
    """`mkdocs serve` itself (no SCR_PDF): the preview has no PDFs and the Downloads page says how to make them."""
    import os
    import socket
    import subprocess
    import sys
    import time
    import urllib.error
    import urllib.request

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    env = {k: v for k, v in os.environ.items() if k != "SCR_PDF"}
    server = subprocess.Popen(
        [sys.executable, "-m", "mkdocs", "serve", "--strict", "--no-livereload", "--dev-addr", f"127.0.0.1:{port}"],
        cwd=project_copy,
        env={**env, "NO_MKDOCS_2_WARNING": "1", "SITE_URL": f"http://127.0.0.1:{port}/"},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 120
        while True:  # wait for the first build to be served
            try:
                text = urllib.request.urlopen(f"http://127.0.0.1:{port}/downloads/", timeout=5).read().decode()
                break
            except (urllib.error.URLError, ConnectionError):
                assert server.poll() is None, "mkdocs serve stopped"
                assert time.monotonic() < deadline, "mkdocs serve did not start"
                time.sleep(0.2)
        assert "make build" in text
        with pytest.raises(urllib.error.HTTPError) as missing:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/downloads/scr-guidance-handbook.pdf", timeout=5)
        assert missing.value.code == 404
    finally:
        server.terminate()
        server.wait(timeout=30)


def test_offline_copy_browses_and_searches_from_disk_with_no_network(offline_copy, browser):
    assert (offline_copy / "assets/javascripts/iframe-worker-shim.js").is_file()
    page = browser.new_page()
    outside = []
    page.on("request", lambda request: outside.append(request.url) if not request.url.startswith("file:") else None)
    page.goto((offline_copy / "index.html").as_uri())
    label, src = next((label, src) for label, src in nav_entries() if src == plain_page())
    page.get_by_role("link", name=label, exact=True).first.click()
    assert page.url.endswith(src.removesuffix(".md") + ".html")
    assert page.locator("h1").inner_text() == guidance_sources()[src]["title"]
    from test_browser import search

    # the search index is read from disk only once the visitor starts to search
    page.wait_for_load_state("load")
    assert page.evaluate("typeof __index") == "undefined"  # set by search/search_index.js
    question = faq_sources()[0]
    search(page, question["question"])
    result = page.locator(".md-search-result__item").filter(has_text=question["question"])
    result.first.wait_for(timeout=10_000)
    result.first.locator(f"a[href*='#{question['id']}']").click()
    page.wait_for_url(re.compile(rf"faq/index\.html(\?h=[^#]*)?#{re.escape(question['id'])}$"))
    assert outside == [], f"the offline copy asked the network for {outside}"
    page.close()
