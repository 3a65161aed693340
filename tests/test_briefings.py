"""7-minute briefings: a two-page handout for every practice theme, made from the theme's own page."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from urllib.parse import urljoin

import pytest
from conftest import DOCS, build_site, first_theme, mkdocs_config, page_for, theme_sources, warm_cache
from pypdf import PdfReader
from scr import briefings, frontmatter, pdf
from scr.errors import EditorError
from test_pdfs import pdf_text, squash

BOXES = [
    "1 Background",
    "2 Why it matters",
    "3 What reviews found",
    "4 Information",
    "5 What to do",
    "6 Questions for reflection",
    "7 Further reading",
]


def plain(markdown: str) -> str:
    """Markdown inline text as it reads: names filled in; links, emphasis and footnote markers dropped."""
    names = mkdocs_config()["extra"]["names"]
    text = re.sub(r"<!--\s*name:\s*([\w-]+)\s*-->", lambda m: names[m.group(1)], markdown)
    text = re.sub(r"\[\^[\w-]+\]", "", text)
    text = re.sub(r"\[([^\]]+)\]\([^)]+\)", r"\1", text)
    return text.replace("*", "").replace("_", "")


def section(src: str, heading: str) -> str:
    body = (DOCS / src).read_text(encoding="utf-8")
    match = re.search(rf"^## {re.escape(heading)}\n(.*?)(?=^## |^\[\^|\Z)", body, re.M | re.S)
    assert match, f"{src} has no '## {heading}'"
    return match.group(1)


def briefing_text(path: Path) -> str:
    """The PDF's text without white space, bracketed asides or the web addresses printed after links."""
    text = re.sub(r"\(https?://[^()]*\)", "", pdf_text(path))
    # An aside that held a printed address, "(the update information (https://…))", is an aside once more.
    return re.sub(r"\([^()]{2,90}\)", "", text)


def items(markdown: str) -> list[str]:
    """The text of each list item (numbered or not)."""
    return [plain(m) for m in re.findall(r"^(?:\d+\.|-) (.+)$", markdown, re.M)]


@pytest.fixture(scope="session")
def briefing_files(site) -> dict[str, Path]:
    return {src: site / "downloads" / briefings.file_name(src) for src in theme_sources()}


def test_every_theme_has_a_briefing_of_at_most_two_pages_with_boxes_1_to_7(briefing_files):
    assert len(briefing_files) == len(theme_sources()) > 0
    for src, path in briefing_files.items():
        reader = PdfReader(path)
        assert 1 <= len(reader.pages) <= 2, f"{path.name} has {len(reader.pages)} pages"
        title, boxes = reader.outline[0], reader.outline[1]
        assert title.title == theme_sources()[src]["title"]
        assert [box.title for box in boxes] == BOXES, path.name
        text = pdf_text(path)
        positions = [text.find(squash(box)) for box in BOXES]
        assert -1 not in positions and positions == sorted(positions), f"{path.name}: boxes missing or out of order"


def test_the_site_offers_one_briefing_for_each_theme_linked_from_its_page(site, pages):
    """Every theme's page links its own briefing, and downloads/ holds no briefing of a theme that is gone."""
    made = sorted(path.name for path in (site / "downloads").glob("*" + briefings.SUFFIX))
    assert made == sorted(briefings.file_name(src) for src in theme_sources())
    for src in theme_sources():
        links = [a["href"] for a in pages[page_for(src)].select(".scr-downloads a[href]")]
        assert any(href.endswith("/" + briefings.file_name(src)) for href in links), (src, links)


def test_briefing_holds_the_questions_sources_child_voice_address_and_review_date(briefing_files, config):
    for src, path in briefing_files.items():
        meta = theme_sources()[src]
        text = briefing_text(path)
        questions = items(section(src, "Questions for supervision"))
        assert len(questions) >= 3
        for question in questions:
            assert squash(question) in text, f"{path.name} lacks the question {question!r}"
        sources = items(section(src, "Sources"))
        assert sources
        for source in sources:
            assert squash(source) in text, f"{path.name} lacks the source {source!r}"
        note, first = section(src, "What I needed you to see and hear").strip().split("\n\n")[:2]
        assert squash(plain(note)) in text, f"{path.name} lacks the note that the child's voice is a composite"
        assert squash(plain(first).split(". ")[0]) in text, f"{path.name} lacks the child's voice"
        assert squash(meta["why_it_matters"]) in text and squash(meta["summary"]) in text
        live = urljoin(config["site_url"], pdf.live_path(src))
        assert squash(f"Web address: {live}") in text, f"{path.name} does not give the theme's web address"
        reviewed = squash(f"Owner Last reviewed Next review due {meta['owner']} {meta['last_reviewed']:%-d %B %Y}")
        assert reviewed in text, f"{path.name} does not say who owns it and when it was reviewed"
        for phone in (config["extra"]["contacts"][key]["phone"] for key in config["extra"]["worried_banner"]):
            assert squash(phone) in text, f"{path.name} does not say whom to call if worried about a child"
        assert squash(f"The full practice theme: {live}") in text, f"{path.name} stops before its last line"


def column_starts(path: Path) -> list[str]:
    """The first line of text at the top of each column of boxes, page by page, left then right (the running header
    and footer, outside the structure, are left out; on page 1, what comes before box 1)."""
    from pdf_structure import marked_content, text_runs

    tagged = {(content.page, content.mcid) for content in marked_content(path)}  # not the header and footer
    runs = [run for run in text_runs(path) if (run.page, run.mcid) in tagged]
    width = float(PdfReader(path).pages[0].mediabox[2])
    first_box = next(run for run in runs if run.page == 0 and run.text.strip().startswith(BOXES[0].split(" ", 1)[1]))
    starts = []
    for page in sorted({run.page for run in runs}):
        for left in (True, False):
            column = [
                r
                for r in runs
                if r.page == page
                and (r.x < width / 2) == left
                and (page > 0 or r.baseline <= first_box.baseline + 6)  # below the introduction
            ]
            if column:
                top = max(r.baseline for r in column)
                line = sorted((r for r in column if abs(r.baseline - top) < 1), key=lambda r: r.x)
                starts.append(" ".join(r.text.strip() for r in line))
    return starts


def test_every_column_of_a_briefing_starts_with_a_box_heading_or_box_n_continued(briefing_files):
    """A team told to read box 5 finds all of it: a box that goes on in the next column or page says so there."""
    for path in briefing_files.values():
        for start in column_starts(path):
            assert start in BOXES or re.fullmatch(r"Box [1-7], continued", start), (
                f"{path.name}: a column starts {start!r}"
            )


def structure_tags(node) -> list[str]:
    """Every tag (/H1, /P, ...) in a PDF's structure tree, depth first."""
    node = node.get_object()
    tags = [node["/S"]] if "/S" in node else []
    kids = node.get("/K")
    for kid in kids if isinstance(kids, list) else [kids] if kids is not None else []:
        if hasattr(kid, "get_object") and isinstance(kid.get_object(), dict):
            tags += structure_tags(kid)
    return tags


def test_briefings_are_tagged_pdf_ua_with_title_language_and_headings(briefing_files):
    for src, path in briefing_files.items():
        reader = PdfReader(path)
        root = reader.trailer["/Root"]
        assert root["/Lang"] == "en-GB" and root["/MarkInfo"]["/Marked"]
        assert root["/ViewerPreferences"]["/DisplayDocTitle"], "readers show the title, not the file name"
        assert 'pdfuaid:part="1"' in root["/Metadata"].get_object().get_data().decode()
        assert reader.metadata.title == f"7-minute briefing: {theme_sources()[src]['title']}"
        tags = structure_tags(root["/StructTreeRoot"])
        assert tags.count("/H1") == 1 and tags.count("/H2") == 7, f"{path.name}: one title and seven box headings"


def test_theme_pages_and_the_downloads_page_link_every_briefing_with_its_label(pages, briefing_files):
    heading = pages["downloads/index.html"].find(id="seven-minute-briefings")
    listed = heading.find_next("ul").select("a[href$='-briefing.pdf']")
    assert len(listed) == len(briefing_files)
    for src, path in briefing_files.items():
        page = pages[page_for(src)]
        link = next(a for a in page.select(".scr-downloads a") if "7-minute briefing" in a.get_text())
        assert urljoin("/" + page_for(src), link["href"]) == f"/downloads/{path.name}"
        pages_count = len(PdfReader(path).pages)
        assert re.search(rf"\(PDF, \d+ KB, {pages_count} pages?\)", link.get_text()), link.get_text()
        assert any(a["href"].endswith(path.name) and theme_sources()[src]["title"] in a.get_text() for a in listed)


# Editors' mistakes


def theme(**fields) -> frontmatter.MarkdownFile:
    lines = ["title: T", "summary: S.", "child_says: C"] + [f"{k}: {v}" for k, v in fields.items()]
    return frontmatter.parse("---\n" + "\n".join(lines) + "\n---\n# T\n", "docs/practice-themes/t.md")


def test_briefing_front_matter_is_checked_with_line_and_fix():
    chosen = briefings.check_front_matter(theme(why_it_matters="It matters.", briefing_background="Some  background."))
    assert chosen.why_it_matters == "It matters." and chosen.background == "Some background." and not chosen.information
    cases = {
        "why_it_matters: One. Two.": "has more than one sentence",
        "briefing_background: " + "word " * 61: "has 61 words; box 1, Background",
        "briefing_information: [a, b]": "`briefing_information` is empty or not text",
        "why_it_matters:": "`why_it_matters` is empty or not text",
    }
    for field, problem in cases.items():
        key, _, value = field.partition(": ")
        with pytest.raises(EditorError) as caught:
            briefings.check_front_matter(theme(**{key.rstrip(":"): value}))
        assert problem in caught.value.problem and caught.value.line == 5, field
        assert caught.value.path == "docs/practice-themes/t.md" and caught.value.fix


SECTIONS = """<h1 id="t">T</h1>
<h2 id="a">What I needed you to see and hear</h2><p><em>This is an illustrative composite.</em></p><p>Voice.</p>
<h2 id="b">What reviews found</h2><p>Found.</p>
<h2 id="c">What you can do</h2>{todo}
<h2 id="d">Questions for supervision</h2><ol><li>Why?</li></ol>
<h2 id="e">Sources</h2><ul><li>A report.</li></ul>"""


def briefing_job(tmp_path: Path, html: str) -> tuple[list[pdf.Job], object]:
    from scr import themes

    reviewed, due = dt.date(2026, 11, 26), dt.date(2027, 11, 26)
    doc = pdf.PrintDocument("practice-themes/t.md", "t", "https://example.org/t/", "T", "Owner", reviewed, due, html)
    chosen = themes.Theme("practice-themes/t.md", "T", "A summary.", "C", 10, ())
    site = {"organisation": "Board", "name": "Site", "url": "https://example.org/", "created": "2026-11-26T00:00:00Z"}
    jobs = briefings.briefing_jobs([chosen], [doc], site, {}, {}, [])
    return jobs, chosen


def test_a_briefing_too_long_for_two_pages_names_the_file_the_overflow_and_what_to_shorten(tmp_path):
    long = "<ul>" + "<li>Talk to the child on their own, and write down what they say in their own words.</li>" * 110
    jobs, chosen = briefing_job(tmp_path, SECTIONS.format(todo=long + "</ul>"))
    results = pdf.render_all(jobs, tmp_path / "cache", workers=1)
    assert results[0].pages > 2
    with pytest.raises(EditorError) as caught:
        briefings.check_lengths(jobs, results, [chosen])
    message = caught.value.message
    assert message.startswith("docs/practice-themes/t.md: its 7-minute briefing runs to")
    over = re.search(r"pages: (\d+) mm \(about (\d+) lines, roughly (\d+) words\) past the 2 pages", message)
    assert over and int(over.group(1)) > 20 and int(over.group(2)) > 5 and int(over.group(3)) > 50, message
    assert "starting with the longest boxes: box 5 What to do (the page's `## What you can do`)" in message


def test_a_theme_without_its_sections_gets_an_editors_message(tmp_path):
    jobs, _ = briefing_job(tmp_path, SECTIONS.format(todo="<p>Do.</p>").replace("Questions for supervision", "Q"))
    with pytest.raises(EditorError, match="the page has no `## Questions for supervision` section"):
        jobs[0].make_html()


def test_a_theme_too_long_for_its_briefing_fails_the_build_after_rendering_only_its_own_pdfs(
    built, pdf_cache, project_copy, tmp_path
):
    """One rebuild after editing one theme: only its page's PDF and its briefing render again (the rest come
    from the cache; the handbook is left out of this build), and the briefing's overflow stops the build with an
    editor's message."""
    theme = first_theme()
    page = project_copy / "docs" / theme
    advice = "- Write down what the child said, in the child's own words, and what you saw, on the day you saw it.\n"
    text = page.read_text(encoding="utf-8")
    page.write_text(text.replace("\n## Questions for supervision", advice * 60 + "\n## Questions for supervision"))
    failed = build_site(
        project_copy,
        tmp_path / "failed",
        {"SCR_PDF": "1", "SCR_HANDBOOK": "0", "SCR_PDF_CACHE": str(warm_cache(pdf_cache, tmp_path))},
    )
    output = failed.stdout + failed.stderr
    assert re.search(r"PDFs: 2 rendered", output), "the theme's PDF and its briefing, nothing else"
    assert failed.returncode != 0 and "Traceback" not in output, output
    assert re.search(rf"docs/{theme}: its 7-minute briefing runs to \d pages: \d+ mm", output), output
    assert "How to fix it: shorten the page by about" in output
    assert "box 5 What to do (the page's `## What you can do`)" in output, output


def test_briefings_can_be_turned_off(built, pdf_cache, project_copy, tmp_path):
    env = {"SCR_PDF": "1", "SCR_BRIEFINGS": "0", "SCR_PDF_CACHE": str(warm_cache(pdf_cache, tmp_path))}
    result = build_site(project_copy, tmp_path / "out", env)
    assert result.returncode == 0, result.stderr
    assert not list((tmp_path / "out/downloads").glob("*-briefing.pdf"))
    assert "7-minute briefing" not in (tmp_path / "out" / page_for(first_theme())).read_text(encoding="utf-8")
