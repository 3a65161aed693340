"""Seven-minute briefings: a two-page team-meeting handout for every practice theme, made from the theme's own page.

Seven numbered boxes: 1 background, 2 why it matters (with the child's-voice passage), 3 what reviews found,
4 information, 5 what to do, 6 questions for reflection (the supervision questions), 7 further reading (the sources).
Boxes 3, 5, 6 and 7 and the child's voice are the page's own sections; editors choose boxes 1, 2 and 4 with the
front matter fields below. The PDFs are ordinary jobs for pdf.render_all, so they are cached and rendered in
parallel with the others.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import asdict, dataclass

from . import pdf
from .errors import EditorError
from .frontmatter import MarkdownFile
from .templates import TEMPLATE_DIR, render

MAX_PAGES = 2
SUFFIX = "-7-minute-briefing.pdf"
MARKER = "<!-- downloads:briefings -->"  # where the Downloads page lists them all
CSS = TEMPLATE_DIR / "print" / "briefing.css"

# Front matter that chooses what goes in boxes 1, 2 and 4: field -> (box, most words, what it is for).
FIELDS = {
    "briefing_background": (1, 60, "box 1, Background (instead of the theme's `summary`)"),
    "why_it_matters": (2, 40, "box 2, Why it matters: one sentence, shown above the child's voice"),
    "briefing_information": (4, 60, "box 4, Information: shown above the contacts for anyone worried about a child"),
}

# The theme page's own sections the briefing is made from (the headings every theme page has).
CHILD = "What I needed you to see and hear"
FOUND = "What reviews found"
TO_DO = "What you can do"
QUESTIONS = "Questions for supervision"
SOURCES = "Sources"
SECTIONS = (CHILD, FOUND, TO_DO, QUESTIONS, SOURCES)
SECTIONS_FIX = (
    "keep the section headings every practice theme has, word for word: "
    + ", ".join(f"`## {h}`" for h in SECTIONS)
    + " (see CONTRIBUTING.md, 'Seven-minute briefings')."
)


@dataclass(frozen=True)
class BriefingText:
    """What the editor chose for boxes 1, 2 and 4 (None: the default)."""

    background: str | None = None
    why_it_matters: str | None = None
    information: str | None = None


def file_name(src_uri: str) -> str:
    """'practice-themes/neglect.md' -> 'neglect-7-minute-briefing.pdf'."""
    return pdf.slug_for(src_uri) + SUFFIX


def _words(text: str) -> int:
    return len(text.split())


def check_front_matter(doc: MarkdownFile) -> BriefingText:
    """Check the briefing fields of a theme's front matter: text, short enough, why_it_matters one sentence."""
    values = {}
    for key, (_box, limit, purpose) in FIELDS.items():
        if key not in doc.meta:
            continue
        value = doc.meta[key]
        line = doc.line_of(key)
        if not isinstance(value, str) or not value.strip():
            raise EditorError(
                doc.path,
                f"`{key}` is empty or not text.",
                f"write one line of plain text after `{key}:` ({purpose}), or delete the line to use the default.",
                line=line,
            )
        text = " ".join(value.split())
        if _words(text) > limit:
            raise EditorError(
                doc.path,
                f"`{key}` has {_words(text)} words; {purpose} holds at most {limit}.",
                f"shorten it to {limit} words or fewer: the full detail belongs in the page itself.",
                line=line,
            )
        if key == "why_it_matters" and len(re.findall(r"[.!?](?=\s|$)", text)) > 1:
            raise EditorError(
                doc.path,
                "`why_it_matters` has more than one sentence; box 2 of the briefing holds one.",
                "keep the one sentence that says why this matters for the child, and move the rest into the page.",
                line=line,
            )
        values[key] = text
    return BriefingText(
        background=values.get("briefing_background"),
        why_it_matters=values.get("why_it_matters"),
        information=values.get("briefing_information"),
    )


def _split_sections(html: str, path: str) -> dict[str, object]:
    """The page's print-ready HTML cut into its `##` sections, by heading text (BeautifulSoup tags)."""
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(html, "html.parser")
    found: dict[str, list] = {}
    current = None
    for node in list(soup.contents):
        name = getattr(node, "name", None)
        if name == "h2":
            current = node.get_text(" ", strip=True)
            found[current] = []
        elif name == "h1" or current is None:
            continue
        elif name == "div" and "footnote" in (node.get("class") or []):
            found["footnotes"] = [node]
            current = None
        else:
            found[current].append(node)
    missing = [heading for heading in SECTIONS if heading not in found]
    if missing:
        raise EditorError(
            path,
            "its 7-minute briefing is made from the page's own sections, and the page has no "
            + ", ".join(f"`## {h}`" for h in missing)
            + " section.",
            SECTIONS_FIX,
        )
    return {key: "".join(str(n) for n in nodes) for key, nodes in found.items()}


def _child_voice(section_html: str) -> tuple[str, str]:
    """The child's-voice section as (its illustrative-composite note, the passage)."""
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(section_html, "html.parser")
    first = soup.find("p")
    if first is not None and first.find("em") and "composite" in first.get_text():
        note = first.get_text(" ", strip=True)
        first.decompose()
    else:
        note = "This is an illustrative composite drawn from published review findings, not the words of a real child."
    return note, str(soup).strip()


def briefing_html(briefing, doc: pdf.PrintDocument, prepared: str, site: dict, contacts: list) -> str:
    """The briefing's HTML, from the theme page's print-ready content HTML."""
    sections = _split_sections(prepared, "docs/" + briefing.src_uri)
    note, voice = _child_voice(sections[CHILD])
    css = pdf.print_css() + "\n" + CSS.read_text(encoding="utf-8")
    return render(
        "print/briefing.html",
        briefing=briefing,
        doc=doc,
        sections=sections,
        note=note,
        voice=voice,
        contacts=contacts,
        site=site,
        created=pdf.created(site, doc.last_reviewed),
        css=css,
    )


def briefing_jobs(
    themes: list,
    docs: list[pdf.PrintDocument],
    site: dict,
    abbreviations: dict,
    live: dict,
    contacts: list,
) -> list[pdf.Job]:
    """A pdf.Job for each theme's briefing (themes: themes.Theme; docs: every page's pdf.PrintDocument). Its inputs are
    only that theme's page, its briefing fields, the contacts and the site's details, so editing one theme renders
    only that theme's briefing again."""
    page_urls = {doc.slug: doc.url for doc in docs}
    by_src = {doc.src_uri: doc for doc in docs}
    shared = json.dumps(
        [site, abbreviations, live, page_urls, [asdict(c) for c in contacts]], sort_keys=True, default=str
    )
    jobs = []
    for briefing in themes:
        doc = by_src[briefing.src_uri]
        inputs = shared + json.dumps([asdict(briefing), asdict(doc)], sort_keys=True, default=str)

        def make(briefing=briefing, doc=doc) -> str:
            prepared = pdf.prepare(doc, page_urls, abbreviations, live=live)
            return briefing_html(briefing, doc, prepared, site, contacts)

        jobs.append(pdf.Job(file_name(briefing.src_uri), inputs, make))
    return jobs


def check_lengths(jobs: list[pdf.Job], results: list, themes: list) -> None:
    """Fail the build, as an editor's message, for any briefing longer than two pages (results: pdf.Result of
    every PDF of the build, matched to the briefing jobs by file name)."""
    pages = {result.name: result.pages for result in results}
    for theme in themes:
        job = next((j for j in jobs if j.name == file_name(theme.src_uri)), None)
        if job and pages.get(job.name, 0) > MAX_PAGES:
            raise overflow_error(theme, job.make_html(), pages[job.name])


def overflow_error(theme, html: str, pages: int) -> EditorError:
    """Say how far past two pages the briefing runs and which of its boxes are longest."""
    from bs4 import BeautifulSoup

    over_mm, lines, page_mm = measure_overflow(html)
    soup = BeautifulSoup(html, "html.parser")
    boxes = []
    for box in soup.select("section.box"):
        heading = box.find("h2").get_text(" ", strip=True)
        source = box.get("data-source")
        where = f"box {heading} (the page's `## {source}`)" if source else f"box {heading}"
        boxes.append((_words(box.get_text(" ", strip=True)), where))
    total = sum(words for words, _ in boxes)
    cut = round(total * over_mm / (MAX_PAGES * page_mm + over_mm))  # words, at the briefing's average density
    longest = sorted(boxes, reverse=True)[:3]
    return EditorError(
        "docs/" + theme.src_uri,
        f"its 7-minute briefing runs to {pages} pages: {over_mm:.0f} mm (about {lines} lines, roughly {cut} words) "
        f"past the {MAX_PAGES} pages a briefing may have.",
        f"shorten the page by about {cut} words, starting with the longest boxes: "
        + "; ".join(f"{where}, {words} words" for words, where in longest)
        + ". Boxes 1, 2 and 4 come from `briefing_background`, `why_it_matters` and `briefing_information` in the "
        "front matter where you set them (see CONTRIBUTING.md, 'Seven-minute briefings').",
    )


def measure_overflow(html: str) -> tuple[float, int, float]:
    """Millimetres of content beyond page two (in its longest column), the lines of text there, and the height of
    a page's text area in millimetres."""
    from weasyprint import HTML
    from weasyprint.formatting_structure.boxes import LineBox, MarginBox

    document = HTML(string=html, base_url=str(TEMPLATE_DIR)).render()
    px_to_mm = 25.4 / 96
    over = 0.0
    lines = 0
    for page in document.pages[MAX_PAGES:]:
        box = page._page_box
        top = box.content_box_y()
        bottom = top
        for child in box.children:
            if isinstance(child, MarginBox):
                continue
            for line in child.descendants():
                if isinstance(line, LineBox) and line.children:
                    bottom = max(bottom, line.position_y + line.height)
                    lines += 1
        over += bottom - top
    page_height = document.pages[0]._page_box.height
    return over * px_to_mm, lines, page_height * px_to_mm


# The boxes fill two columns a page (CSS columns). Where a box has to go on in the next column, the renderer splits
# it there in the HTML and starts the rest with "Box N, continued" (see plan_continuations); this attribute on the
# boxes' container asks for that.
PLAN_ATTRIBUTE = pdf.PLAN_ATTRIBUTE
MAX_SPLITS = 12


def plan_continuations(html: str, render: Callable[[str], object]) -> tuple[str, object]:
    """The briefing's HTML with every box that goes on in a later column split there, the rest of it a box of its own
    that starts a column with "Box N, continued"; and its rendered document (render: HTML -> WeasyPrint document).

    Render, find the first column that starts inside a box without that box's heading or label, split the box before
    the paragraph or list item that column starts with (a box whose content would all move keeps together and moves
    whole), render again, until no column starts unlabelled. If labelling would take the briefing past two pages, the
    last layout that fits is kept.
    """
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(html, "html.parser")
    container = soup.find(attrs={"data-plan": "box-continuations"})
    if container is None:
        return html, render(html)
    for number, element in enumerate(container.find_all(True)):
        element["data-k"] = str(number)
    html = str(soup)
    document = render(html)
    best = (html, document) if len(document.pages) <= MAX_PAGES else None
    stuck: set[str] = set()  # sections that cannot move whole (the briefing would run past two pages)
    for _ in range(MAX_SPLITS):
        found = _unlabelled_continuation(document, stuck)
        if found is None:
            break
        section_key, element_key, done = found
        before = html
        if done:  # a paragraph goes on in the next column: split it between the same words
            element_key = _split_paragraph(soup, element_key, done)
        _split_box(soup, section_key, element_key)
        html = str(soup)
        document = render(html)
        if len(document.pages) <= MAX_PAGES:
            best = (html, document)
        else:  # moving or labelling this box would take the briefing past two pages: leave it as it was
            stuck.add(section_key)
            soup = BeautifulSoup(before, "html.parser")
            html, document = before, render(before)
    return best if best is not None else (html, document)


def _fragments(document) -> list[tuple[str, object]]:
    """(section's data-k, box) for every piece of every briefing box, in reading order: page, column, top."""
    from weasyprint.formatting_structure import boxes

    found = []

    def walk(box, page):
        element = box.element
        if (
            isinstance(box, boxes.BlockBox)
            and element is not None
            and element.tag == "section"
            and "box" in (element.get("class") or "").split()
        ):
            found.append(((page, round(box.position_x), box.position_y), element.get("data-k"), box))
            return
        for child in getattr(box, "children", []):
            walk(child, page)

    for number, page in enumerate(document.pages):
        walk(page._page_box, number)
    return [(key, box) for _, key, box in sorted(found, key=lambda item: item[0])]


def _unlabelled_continuation(document, stuck: set[str]) -> tuple[str, str, int] | None:
    """(section, first element, how many of that element's non-space characters earlier columns hold) of the first
    box piece that starts a column but is not the start of its box (and that can be labelled: not a box that could
    only move whole and cannot)."""
    pieces: dict[str, list] = {}
    for key, box in _fragments(document):
        if key in pieces and key not in stuck:
            element = _first_element(box)
            before = sum(_characters(piece, element) for piece in pieces[key])
            return key, element, before
        pieces.setdefault(key, []).append(box)
    return None


def _characters(box, element_key: str, inside: bool = False) -> int:
    """Non-space characters drawn in the element's boxes within this box."""
    from weasyprint.formatting_structure import boxes

    inside = inside or (box.element is not None and box.element.get("data-k") == element_key)
    if isinstance(box, boxes.TextBox):
        return len("".join(box.text.split())) if inside else 0
    return sum(_characters(child, element_key, inside) for child in getattr(box, "children", []))


def _first_element(box) -> str:
    """data-k of the innermost element the box piece starts with (a paragraph, a list item)."""
    from weasyprint.formatting_structure import boxes

    while True:
        own = box.element.get("data-k") if box.element is not None else None
        child = (
            next(
                (
                    c
                    for c in box.children
                    if isinstance(c, boxes.BlockLevelBox)
                    and c.element is not None
                    and c.element.get("data-k") not in (None, own)
                ),
                None,
            )
            if isinstance(box, boxes.ParentBox) and not isinstance(box, boxes.LineBox)
            else None
        )
        if child is None:
            return own
        box = child


def _split_paragraph(soup, element_key: str, done: int) -> str:
    """Split a paragraph after its first `done` non-space characters (at the end of that word; before an inline
    element, such as a link, that holds the split) into two paragraphs; return the second's data-k. Other elements
    (a list item) are not split: the whole of it goes on to the next column."""
    element = soup.find(attrs={"data-k": element_key})
    if element.name != "p":
        return element_key
    counted = 0
    for child in list(element.children):
        text = child if isinstance(child, str) else child.get_text()
        size = len("".join(text.split()))
        if counted + size < done:
            counted += size
            continue
        if isinstance(child, str):  # the split falls in this text: after the word holding character `done`
            position, seen = 0, counted
            while position < len(child) and seen < done:
                seen += not child[position].isspace()
                position += 1
            while position < len(child) and not child[position].isspace():
                position += 1
            head, tail = str(child[:position]), str(child[position:]).lstrip()
            child.replace_with(head)
            moving = [tail] if tail else []
            following = list(element.contents[element.contents.index(head) + 1 :]) if head else []
        else:
            moving, following = [], list(element.contents[element.contents.index(child) :])
        keys = max(int(e["data-k"]) for e in soup.find_all(attrs={"data-k": True})) + 1
        attributes = {k: v for k, v in element.attrs.items() if k not in ("id", "data-k")}
        rest = soup.new_tag("p", attrs={**attributes, "data-k": str(keys)})
        for piece in moving:
            rest.append(piece)
        for piece in following:
            rest.append(piece.extract())
        if not rest.contents or not element.get_text().strip():
            return element_key  # nothing to split off, or nothing would stay
        element.insert_after(rest)
        return rest["data-k"]
    return element_key


def _split_box(soup, section_key: str, element_key: str) -> bool:
    """Split the section before the element (or the outermost block the element begins): what follows goes into a
    new box that starts the next column with "Box N, continued"."""
    section = soup.find(attrs={"data-k": section_key})
    node = soup.find(attrs={"data-k": element_key})
    while node.parent is not section and node.find_previous_sibling(True) is None:
        node = node.parent
    before = node.find_previous_sibling(True)
    if node.parent is section and (
        before is None or before.name == "h2" or "box-continued-label" in before.get("class", [])
    ):
        section["class"] = [*section.get("class", []), "box-moved"]  # nothing of it would stay: move it whole
        return True
    number = section.get("data-box") or section.find_previous(attrs={"data-box": True})["data-box"]
    keys = iter(range(max(int(e["data-k"]) for e in soup.find_all(attrs={"data-k": True})) + 1, 10**9))
    rest = soup.new_tag("section", attrs={"class": "box box-continued", "data-box": number, "data-k": str(next(keys))})
    label = soup.new_tag("p", attrs={"class": "box-continued-label"})
    label.string = f"Box {number}, continued"
    rest.append(label)
    chain = []  # the node's ancestors inside the section, outermost first
    parent = node.parent
    while parent is not section:
        chain.insert(0, parent)
        parent = parent.parent
    holders = [rest]
    for ancestor in chain:
        attributes = {k: v for k, v in ancestor.attrs.items() if k not in ("id", "data-k")}
        copy = soup.new_tag(ancestor.name, attrs={**attributes, "data-k": str(next(keys))})
        holders[-1].append(copy)
        holders.append(copy)
    # Move the node and everything after it, level by level, into the copies.
    moving, level = node, len(chain)
    while True:
        following = (
            [moving, *moving.find_next_siblings(True)] if moving is node else list(moving.find_next_siblings(True))
        )
        holder = holders[level]
        if holder.name == "ol" and moving is node:
            start = int(chain[-1].get("start", 1)) + len(node.find_previous_siblings("li"))
            holder["start"] = str(start)
        for item in following:
            holder.append(item.extract())
        if level == 0:
            break
        moving, level = chain[level - 1], level - 1
    section["class"] = [*section.get("class", []), "box-split"]  # open at the foot: it goes on, and takes no room
    section.insert_after(rest)
    return False


def links(themes: list, results: dict) -> list[tuple[str, str]]:
    """(file name, link text) of every briefing this build made, in the themes' order, for the Downloads page."""
    ordered = sorted(themes, key=lambda t: (t.order, t.title))
    return [(file_name(t.src_uri), f"7-minute briefing: {t.title}") for t in ordered if file_name(t.src_uri) in results]
