"""Content that used to build into a silently wrong page: each case must now give the page a reader expects."""

from __future__ import annotations

import posixpath
import re
import shutil
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from conftest import (
    DOCS,
    build_site,
    faq_sources,
    first_theme,
    guidance_sources,
    import_script,
    marker_page,
    mkdocs_config,
    page_for,
    plain_page,
    theme_sources,
)
from pypdf import PdfReader
from scr import downloads, glossary, markdown_text, register
from scr.frontmatter import Governance

pytestmark = pytest.mark.full  # builds of a copy of the site: `make test` only

IMAGE_MARKDOWN = "\n![How we store the data you send us]({})\n"


def edit(project: Path, rel: str, old: str, new: str) -> None:
    path = project / rel
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} is not in {rel}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def title_line(rel: str) -> str:
    return next(line for line in (DOCS / rel).read_text(encoding="utf-8").splitlines() if line.startswith("# "))


SOURCES = guidance_sources()
NO_TITLE = plain_page()  # loses its `# Title` line and gains an image
UNDERLINED = next(src for src, meta in SOURCES.items() if meta.get("status") == "historical" and src != NO_TITLE)
BAR = next(src for src in reversed(SOURCES) if src not in (NO_TITLE, UNDERLINED) and src not in theme_sources())
BAR_TITLE = SOURCES[BAR]["title"] + " | Phone and email"
QUESTION = next(p for p in sorted((DOCS / "faq").glob("*.md")) if p.name != "index.md")
CARD = next(key for key, contact in mkdocs_config()["extra"]["contacts"].items() if contact.get("phone"))
ABBREVIATION, EXPANSION = re.search(
    r"^\*\[([^\]]+)\]: (.+)$", (DOCS / "_snippets/abbreviations.md").read_text(encoding="utf-8"), re.M
).groups()


@pytest.fixture(scope="module")
def edited_site(tmp_path_factory, pdf_cache, built) -> Path:
    """One build with PDFs (from a copy of the session's warm cache) of a copy of the project with: a page
    without its `# Title` line and with an image, a historical page titled with an `===` underline, a
    contact marker in a FAQ answer, a byte-order mark at the top of the abbreviations file, and a `|` in a
    page's title."""
    from conftest import ROOT

    work = tmp_path_factory.mktemp("edited")
    project = work / "project"
    ignore = shutil.ignore_patterns(".git", ".venv", "site", ".site-*", ".cache", "__pycache__", "node_modules")
    shutil.copytree(ROOT, project, ignore=ignore)
    (project / "node_modules").symlink_to(ROOT / "node_modules")
    edit(project, f"docs/{NO_TITLE}", title_line(NO_TITLE) + "\n", "")
    (project / "docs/images").mkdir()
    wide_image(project / "docs/images/how-we-store-data.png")
    page = project / "docs" / NO_TITLE
    image = posixpath.relpath("images/how-we-store-data.png", posixpath.dirname(NO_TITLE) or ".")
    page.write_text(page.read_text(encoding="utf-8") + IMAGE_MARKDOWN.format(image), encoding="utf-8")
    heading = title_line(UNDERLINED).removeprefix("# ")
    edit(project, f"docs/{UNDERLINED}", f"# {heading}\n", f"{heading}\n{'=' * len(heading)}\n")
    question = project / "docs/faq" / QUESTION.name
    head, _, answer = question.read_text(encoding="utf-8").partition("\n---\n")
    question.write_text(f"{head}\n---\n\n<!-- contact: {CARD} -->\n{answer}", encoding="utf-8")
    abbreviations = project / "docs/_snippets/abbreviations.md"
    abbreviations.write_bytes(b"\xef\xbb\xbf" + abbreviations.read_bytes())
    edit(project, f"docs/{BAR}", f"title: {SOURCES[BAR]['title']}\n", f"title: {BAR_TITLE}\n")
    edit(project, f"docs/{BAR}", f"\n# {SOURCES[BAR]['title']}\n", f"\n# {BAR_TITLE}\n")  # the same words
    cache = work / "cache"
    shutil.copytree(pdf_cache, cache)
    result = build_site(project, work / "site", {"SCR_PDF": "1", "SCR_HANDBOOK": "0", "SCR_PDF_CACHE": str(cache)})
    assert result.returncode == 0, result.stdout + result.stderr
    return work / "site"


def wide_image(path: Path) -> None:
    """A 1600 by 400 pixel picture, far wider than a page: the kind of screenshot an editor adds."""
    from PIL import Image

    Image.new("RGB", (1600, 400), "#1d70b8").save(path)


def image_boxes(page) -> list[tuple[float, float]]:
    """Where each image is drawn on a PDF page, as (left, right) in points, from the transformation in force."""
    boxes = []

    def visit(operator, operands, cm, tm):
        if operator == b"Do":
            boxes.append((cm[4], cm[4] + cm[0]))

    page.extract_text(visitor_operand_before=visit)
    images = [
        name
        for name, obj in page["/Resources"].get("/XObject", {}).items()
        if obj.get_object().get("/Subtype") == "/Image"
    ]
    return boxes if images else []


def soup(site: Path, page: str) -> BeautifulSoup:
    return BeautifulSoup((site / page).read_text(encoding="utf-8"), "html.parser")


def pdf_name(src: str) -> str:
    return posixpath.basename(src).removesuffix(".md") + ".pdf"


def test_a_page_without_a_title_line_keeps_its_title_and_download_link(edited_site):
    page = soup(edited_site, page_for(NO_TITLE))
    assert [h1.get_text(strip=True) for h1 in page.select("article h1")] == [SOURCES[NO_TITLE]["title"]]
    link = page.select_one("article h1 + .scr-downloads a")
    assert link and link.get_text().startswith("Download this guidance") and link["href"].endswith(pdf_name(NO_TITLE))


def test_an_image_in_a_page_is_in_its_pdf_not_just_its_alt_text(edited_site):
    assert soup(edited_site, page_for(NO_TITLE)).select_one("article img[alt^='How we store']")
    reader = PdfReader(edited_site / "downloads" / pdf_name(NO_TITLE))
    images = [
        obj.get_object()
        for page in reader.pages
        for obj in page["/Resources"].get("/XObject", {}).values()
        if obj.get_object().get("/Subtype") == "/Image"
    ]
    assert images, "the page's image is missing from its PDF"
    # ... and drawn inside the page, no wider than the text: never off the paper's edge.
    page = next(p for p in reader.pages if image_boxes(p))
    width = float(page.mediabox.width)
    for left, right in image_boxes(page):
        assert 0 < left < right < width, (left, right, width)
        assert right - left <= width - 2 * 36, "wider than the text (margins of at least half an inch)"


def test_a_historical_note_goes_under_an_underlined_title(edited_site):
    article = soup(edited_site, page_for(UNDERLINED)).select_one("article")
    first = article.find(["h1", "div"], recursive=True)
    assert first.name == "h1" and first.get_text(" ", strip=True) == title_line(UNDERLINED).removeprefix("# ")
    note = article.select_one(".admonition.note")
    assert note is not None
    assert str(article).index("</h1>") < str(article).index('class="admonition note"')


def test_a_contact_marker_in_a_faq_answer_shows_the_contact(edited_site):
    faq = soup(edited_site, "faq/index.html")
    question_id = re.search(r"^id: (.+)$", QUESTION.read_text(encoding="utf-8"), re.M)[1]
    heading = faq.find(id=question_id)
    answer = []
    for sibling in heading.find_next_siblings():
        if sibling.name in ("h2", "h3"):
            break
        answer.append(sibling)
    cards = [el for el in answer if "scr-contact" in (el.get("class") or [])]
    phone = mkdocs_config()["extra"]["contacts"][CARD]["phone"]
    assert cards and phone in cards[0].get_text(), "the contact card is missing from the answer"


def test_a_byte_order_mark_in_the_abbreviations_file_changes_nothing(edited_site):
    glossary_page = page_for(marker_page(glossary.MARKER))
    listed = soup(edited_site, glossary_page).get_text(" ")
    assert ABBREVIATION in listed and EXPANSION.strip() in listed
    for page in ("index.html", page_for(UNDERLINED), glossary_page):
        text = (edited_site / page).read_text(encoding="utf-8")
        assert "\ufeff" not in text and f"*[{ABBREVIATION}]" not in text, page


def test_a_bar_in_a_title_keeps_the_register_row_and_its_link(edited_site):
    rows = soup(edited_site, page_for(register.PATH)).select("table tbody tr")
    row = next(r for r in rows if BAR_TITLE in r.get_text())
    cells = row.find_all("td")
    assert len(cells) == 6, "the | split the row"
    assert cells[0].a and cells[0].a.get_text() == BAR_TITLE
    assert cells[0].a["href"].rstrip("/").endswith(page_for(BAR).removesuffix("/index.html").removesuffix(".html"))


def test_the_register_escapes_a_bar_in_every_cell():
    gov = Governance("docs/a.md", "A | B", "d", "Owner | Team", *[__import__("datetime").date(2026, 1, 1)] * 2, ["x"])
    text = register.render_register([gov], {"current": "Current | live"}, gov.review_due)
    row = next(line for line in text.splitlines() if line.startswith("| [A"))
    assert len(re.findall(r"(?<!\\)\|", row)) == 7, row  # six cells, whatever the text holds


@pytest.mark.parametrize(
    ("markdown", "expected"),
    [
        ("# Title\n\nText.", "# Title\n\nNOTE\n\n\nText."),
        ("Title\n=====\n\nText.", "Title\n=====\n\nNOTE\n\n\nText."),
        ("```\n# not a title\n```\n\n# Title\n", "```\n# not a title\n```\n\n# Title\n\nNOTE\n\n"),
        ("Text only.", "NOTE\n\nText only."),
    ],
)
def test_add_after_title_finds_the_title_as_markdown_does(markdown, expected):
    assert markdown_text.add_after_title(markdown, "NOTE") == expected


def test_a_page_with_no_title_gets_one_from_its_front_matter():
    assert markdown_text.ensure_title("Text.\n", "Privacy") == "# Privacy\n\nText.\n"
    assert markdown_text.ensure_title("Privacy\n=======\n", "Other") == "Privacy\n=======\n"
    html = downloads.add_links(
        "<h1>Privacy</h1><p>x</p>", [("privacy.pdf", "Download this guidance")], None, {}, lambda n: n
    )
    assert "scr-downloads" not in html, "a link to a PDF this build did not make"


def test_check_front_matter_checks_practice_themes_as_the_build_does(tmp_path):
    from conftest import ROOT

    check_front_matter = import_script("check_front_matter")
    shutil.copytree(ROOT / "docs", tmp_path / "docs")
    shutil.copy(ROOT / "mkdocs.yml", tmp_path / "mkdocs.yml")
    assert check_front_matter.check(tmp_path) == len(guidance_sources()) + len(faq_sources())
    theme = tmp_path / "docs" / first_theme()
    theme.write_text(re.sub(r"^child_says: .*\n", "", theme.read_text(encoding="utf-8"), flags=re.M), "utf-8")
    from scr.errors import EditorError

    with pytest.raises(EditorError, match="this practice theme has no `child_says`"):
        check_front_matter.check(tmp_path)


def test_pages_are_ordered_as_the_navigation_lists_them_and_themes_join_their_section():
    from conftest import mkdocs_config
    from scr import nav, themes
    from scr.site import Settings, SiteContent

    extra = mkdocs_config()["extra"]
    content = SiteContent(Settings.from_extra(extra))
    meta = "---\ntitle: {0}\ndescription: d\nowner: " + extra["owners"][0]  # an owner the build accepts
    meta += "\nlast_reviewed: 2026-01-01\nreview_due: 2027-01-01\naudience: [public]\n---\n"
    for src in ("z.md", "a/b.md", "practice-themes/index.md", "index.md"):
        content.read_page(src, meta.format(src))
    items = ["index.md", {"Section": [{"Deep": ["a/b.md"]}, "practice-themes/index.md"]}, {"Z": "z.md"}]
    theme = themes.Theme("practice-themes/t.md", "T", "s", "c", 1, ("babies",))
    assert themes.add_to_nav(items, [theme])
    assert nav.all_paths(items) == ["index.md", "a/b.md", "practice-themes/index.md", "practice-themes/t.md", "z.md"]
    assert [g.title for g in content.ordered_pages(items)] == ["index.md", "a/b.md", "practice-themes/index.md", "z.md"]
