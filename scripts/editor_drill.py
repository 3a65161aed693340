"""The editor drill: make the everyday edits an editor makes, on a copy of the project, and run every test there.

    .venv/bin/python scripts/editor_drill.py [pytest arguments...]

A correct edit must never turn the tests red. This copies the project (the files git tracks) into a
temporary folder with its own git history, then, as CONTRIBUTING.md tells an editor to:

1. changes every phone number under `extra: contacts:` in mkdocs.yml;
2. renames a guidance page, with its redirect, its nav entry and the links to it;
3. adds a FAQ question and deletes another;
4. adds a practice theme, with its briefing fields;
5. adds a page with a table and a 1600 px wide image with alt text, owned by a new team added to
   `extra: owners:` in mkdocs.yml;
6. changes a page's title;
7. marks every page reviewed today.

Then it runs `make lint`'s checks and the whole pytest suite in the copy (extra arguments go to
pytest, for example `-k editor` to run part of it). Exit status: pytest's. `make drill` runs it; so
does the weekly workflow `.github/workflows/editor-drill.yml`, and every pull request that changes tests/.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "hooks"))

from scr.offline import WORRIED_PAGE  # noqa: E402
from scr.site import HISTORY_PAGE  # noqa: E402

TODAY = dt.date.today()
# Numbers Ofcom keeps for drama and examples, so a test never shows a real person's number. Each is in
# the UK numbering plan, as the build checks it (the phonenumbers library refuses 01632 960 xxx).
DRAMA = {"08": "0808 157 0{:03d}", "03": "03069 990{:03d}", "0": "0113 496 0{:03d}"}
# Short numbers swap with another valid one: 999 and 112 (emergency), 101 and 111 (non-emergency).
SHORT = {"999": "112", "112": "999", "101": "111", "111": "101"}
# The FAQ question the drill adds: the first of these the project does not have.
NEW_QUESTIONS = (
    ("can-i-bring-a-colleague", "Could I bring a colleague to a learning event?"),
    ("can-a-colleague-come-with-me", "Could a colleague come with me to a learning event?"),
    ("may-i-bring-someone-to-a-learning-event", "May I bring someone from my team to a learning event?"),
)


def say(step: str) -> None:
    print(f"drill: {step}", flush=True)


def copy_project(target: Path) -> Path:
    files = subprocess.run(["git", "-C", str(ROOT), "ls-files", "-z"], capture_output=True, check=True).stdout
    for name in filter(None, files.decode().split("\0")):
        source = ROOT / name
        if source.is_file():
            (target / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target / name)
    for shared in (".venv", "node_modules", ".cache/web-editor"):  # installed, not tracked: shared with the copy
        (target / shared).parent.mkdir(parents=True, exist_ok=True)
        (target / shared).symlink_to(ROOT / shared)
    git(target, "init", "-q")
    git(target, "add", "-A")
    git(target, "commit", "-qm", "The project as it is")
    return target


def git(repo: Path, *args: str) -> None:
    env = {**os.environ, "GIT_AUTHOR_NAME": "Editor", "GIT_AUTHOR_EMAIL": "editor@example.org"}
    env.update(GIT_COMMITTER_NAME="Editor", GIT_COMMITTER_EMAIL="editor@example.org")
    subprocess.run(["git", "-C", str(repo), *args], check=True, env=env, capture_output=True)


def front(path: Path) -> dict:
    return yaml.safe_load(path.read_text(encoding="utf-8").split("---", 2)[1])


def set_field(path: Path, key: str, value: str) -> None:
    text = path.read_text(encoding="utf-8")
    line = f"{key}: {value}"
    path.write_text(re.sub(rf"^{key}:.*$", lambda _: line, text, count=1, flags=re.M), encoding="utf-8")


def nav_paths(items) -> list[str]:
    found = []
    for item in items or []:
        value = next(iter(item.values())) if isinstance(item, dict) else item
        found += nav_paths(value) if isinstance(value, list) else [value] if isinstance(value, str) else []
    return found


def config(project: Path) -> dict:
    loader = type("Loader", (yaml.SafeLoader,), {})
    loader.add_constructor("!ENV", lambda loader, node: loader.construct_sequence(node)[-1])
    return yaml.load((project / "mkdocs.yml").read_text(encoding="utf-8"), Loader=loader)


def guidance_pages(project: Path) -> list[str]:
    """Pages in the nav that the build does not need by name: the ones an editor may rename or retitle."""
    docs = project / "docs"
    return [
        path
        for path in nav_paths(config(project)["nav"])
        if (docs / path).is_file()
        and path not in {"index.md", HISTORY_PAGE, WORRIED_PAGE}
        and not path.endswith("index.md")
        and "form" not in front(docs / path)
    ]


def add_to_nav(project: Path, entry: str) -> None:
    """Add a top-level line at the end of `nav:` in mkdocs.yml, as CONTRIBUTING.md, "Add a page", says."""
    path = project / "mkdocs.yml"
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    start = lines.index("nav:\n")
    end = next(n for n in range(start + 1, len(lines)) if lines[n].strip() and not lines[n][0].isspace())
    while not lines[end - 1].strip():  # back over the blank lines before the next key
        end -= 1
    lines.insert(end, entry + "\n")
    path.write_text("".join(lines), encoding="utf-8")


def change_contact_numbers(project: Path) -> None:
    path = project / "mkdocs.yml"
    count = 0

    def new_number(match: re.Match) -> str:
        nonlocal count
        count += 1
        old = match[2]
        if len(old.replace(" ", "")) <= 5:
            number = SHORT.get(old, "999" if old != "999" else "112")
        else:
            pattern = next(v for k, v in DRAMA.items() if old.startswith(k))
            number = pattern.format(count)
            if number == old:  # already this drama number (the drill run on a drilled copy): take another
                number = pattern.format(count + 500)
        return f'{match[1]}"{number}"'

    text = re.sub(r'^(\s+phone: )"([^"]+)"', new_number, path.read_text(encoding="utf-8"), flags=re.M)
    path.write_text(text, encoding="utf-8")
    say(f"changed {count} phone numbers under extra: contacts:")


def links_to(project: Path, page: str) -> re.Pattern:
    """A link's file name for this page in Markdown or mkdocs.yml (not the end of a longer name)."""
    return re.compile(rf"(?<![\w.-]){re.escape(Path(page).name)}")


def rename_a_page(project: Path) -> None:
    """The page other pages link to most (after the one whose title the drill changes), so its links change too."""
    sources = [p.read_text(encoding="utf-8") for p in (project / "docs").rglob("*.md")]
    pages = guidance_pages(project)[1:]
    old = max(reversed(pages), key=lambda page: sum(len(links_to(project, page).findall(s)) for s in sources))
    new = str(Path(old).with_name(Path(old).stem + "-guide.md"))
    git(project, "mv", f"docs/{old}", f"docs/{new}")
    for path in [project / "mkdocs.yml", *(project / "docs").rglob("*.md")]:
        text = path.read_text(encoding="utf-8")
        changed = links_to(project, old).sub(Path(new).name, text)
        if changed != text:
            path.write_text(changed, encoding="utf-8")
    cfg = project / "mkdocs.yml"
    text = cfg.read_text(encoding="utf-8")
    entry = f"\n    {old}: {new}"
    if "  redirects: {}" in text:
        text = text.replace("  redirects: {}", "  redirects:" + entry)
    else:
        text = text.replace("  redirects:", "  redirects:" + entry, 1)
    cfg.write_text(text, encoding="utf-8")
    say(f"renamed docs/{old} to docs/{new}, with its redirect")


def add_and_delete_faq_questions(project: Path) -> None:
    faq = project / "docs" / "faq"
    questions = sorted(p for p in faq.glob("*.md") if p.name != "index.md")
    everything = "\n".join(p.read_text(encoding="utf-8") for p in (project / "docs").rglob("*.md"))
    # Delete one that no other page links to (an editor would change those links first).
    unlinked = next(q for q in reversed(questions) if everything.count(f"#{front(q)['id']}") == 0)
    unlinked.unlink()
    meta = front(questions[0])
    # A question the project does not have yet (the drill may run on a copy it has already drilled).
    qid, question = next((i, q) for i, q in NEW_QUESTIONS if not (faq / f"{i}.md").exists())
    (faq / f"{qid}.md").write_text(
        f"---\nid: {qid}\nquestion: {question}\n"
        f"topic: {meta['topic']}\norder: 999\ntags: [{meta['tags'][0]}]\n---\n\n"
        "Yes. You could bring your manager or a colleague who knew the case, and you could ask the lead "
        "reviewer about this before the event.\n",
        encoding="utf-8",
    )
    say(f"deleted docs/faq/{unlinked.name} and added docs/faq/{qid}.md")


def add_a_theme(project: Path) -> None:
    themes = project / "docs" / "practice-themes"
    model = sorted(p for p in themes.glob("*.md") if p.name != "index.md")[0]
    new = themes / "working-with-fathers.md"
    shutil.copy(model, new)
    set_field(new, "title", "Working with fathers and male carers")
    set_field(new, "description", "Practice theme on including fathers and male carers in assessments and plans.")
    set_field(new, "summary", "Reviews found that fathers and male carers were often left out of the work.")
    set_field(new, "child_says", "Nobody asked my dad what he thought.")
    set_field(new, "why_it_matters", "A child's safety depends on everyone who cares for them, fathers included.")
    set_field(new, "order", "999")
    text = new.read_text(encoding="utf-8")
    new.write_text(re.sub(r"^# .*$", "# Working with fathers and male carers", text, count=1, flags=re.M))
    say(f"added docs/practice-themes/{new.name}, copied from {model.name}")


def add_a_page_with_a_table_and_an_image(project: Path) -> None:
    from PIL import Image, ImageDraw

    images = project / "docs" / "assets" / "images"
    images.mkdir(parents=True, exist_ok=True)
    picture = Image.new("RGB", (1600, 500), "white")
    draw = ImageDraw.Draw(picture)
    for n, colour in enumerate(("#1d70b8", "#00703c", "#d4351c", "#f47738")):
        draw.rectangle([40 + n * 390, 100, 380 + n * 390, 400], fill=colour)
    picture.save(images / "training-timeline.png")
    image = "assets/images/training-timeline.png"
    # A new team owns it: CONTRIBUTING.md, "The fields at the top of a page", says to add it to `owners:` first.
    cfg = project / "mkdocs.yml"
    text = cfg.read_text(encoding="utf-8")
    listed = re.search(r"^  owners:\n(?:    - .*\n)+", text, flags=re.M)
    assert listed, "mkdocs.yml has no `owners:` list under `extra:`"
    cfg.write_text(text[: listed.end()] + "    - Training and Learning Lead\n" + text[listed.end() :], encoding="utf-8")
    page = project / "docs" / "learning-days-for-schools.md"
    page.write_text(
        f"""---
title: Learning days for schools
description: Training on the learning from reviews, for practitioners and managers.
owner: Training and Learning Lead
last_reviewed: {TODAY.isoformat()}
review_due: {(TODAY + dt.timedelta(days=365)).isoformat()}
audience: [practitioners, managers]
status: current
---

# Learning days for schools

The board ran training on the learning from reviews for practitioners and managers.

| Course | Who it is for | Length |
| --- | --- | --- |
| Learning from reviews | Practitioners | Half a day |
| Chairing a learning event | Managers | One day |

![The four stages of the training year, shown as four coloured blocks from left to right]({image})
""",
        encoding="utf-8",
    )
    add_to_nav(project, "  - Learning days for schools: learning-days-for-schools.md")
    say("added docs/learning-days-for-schools.md with a table and a 1600 px image, and its nav entry")


def change_a_title(project: Path) -> None:
    page = project / "docs" / guidance_pages(project)[0]
    old = front(page)["title"]
    new = f"{old} (revised)"
    set_field(page, "title", new)
    text = page.read_text(encoding="utf-8")
    page.write_text(re.sub(r"^# .*$", lambda _: f"# {new}", text, count=1, flags=re.M), encoding="utf-8")
    say(f"retitled {page.relative_to(project)}: {old!r} is now {new!r}")


def mark_every_page_reviewed(project: Path) -> None:
    count = 0
    for page in (project / "docs").rglob("*.md"):
        text = page.read_text(encoding="utf-8")
        if re.search(r"^last_reviewed:", text, re.M):
            set_field(page, "last_reviewed", TODAY.isoformat())
            set_field(page, "review_due", (TODAY + dt.timedelta(days=365)).isoformat())
            count += 1
    say(f"marked {count} pages reviewed today ({TODAY.isoformat()})")


EDITS = [
    change_contact_numbers,
    rename_a_page,
    add_and_delete_faq_questions,
    add_a_theme,
    change_a_title,
    add_a_page_with_a_table_and_an_image,
    mark_every_page_reviewed,
]


def main(pytest_args: list[str]) -> int:
    with tempfile.TemporaryDirectory(prefix="editor-drill-") as folder:
        project = copy_project(Path(folder) / "project")
        for edit in EDITS:
            edit(project)
        git(project, "add", "-A")
        git(project, "commit", "-qm", "An editor's everyday changes")
        say("running make lint's checks on the edited copy")
        lint = subprocess.run(["bash", "scripts/lint.sh"], cwd=project)
        say("running the test suite on the edited copy")
        env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "PUPPETEER_SKIP_DOWNLOAD": "1"}
        tests = subprocess.run(
            [sys.executable, "-m", "pytest", "-q", "-n", "3", "--dist", "loadfile", *pytest_args], cwd=project, env=env
        )
        result = tests.returncode or lint.returncode
        say("passed: every correct edit kept the tests green" if result == 0 else "FAILED: see above")
        return result


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
