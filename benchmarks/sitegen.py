"""Copies of the project for benchmarking: a snapshot of the real site, a stock-Material config, generated pages."""

from __future__ import annotations

import datetime as dt
import random
import shutil
from pathlib import Path

import yaml
from harness import ROOT

COPIED = ("docs", "overrides", "hooks", "mkdocs.yml")
OURS = "mkdocs.yml"
STOCK = "mkdocs-stock.yml"
SCALED = "mkdocs-scale.yml"
SCALED_STOCK = "mkdocs-scale-stock.yml"
NOTES = "practice-notes"
GROUP = 50  # generated pages per nav section
ABBREVIATIONS = ("SCR", "LSCB", "DfE", "CAMHS", "GP", "MASH", "LADO", "DSL", "NSPCC", "Ofsted", "CIN", "EDT")
TOPICS = ("when", "how", "taking-part", "after", "support")
TAGS = (
    "seeing-the-child professional-curiosity risk-assessment information-sharing escalation disguised-compliance "
    "men-in-the-household family-and-community neglect domestic-abuse parental-mental-health substance-misuse "
    "babies adolescents working-together supervision review-process publication family-involvement accountability"
).split()
SUBJECTS = (
    "The health visitor|The school nurse|The social worker|The designated safeguarding lead|The family doctor|"
    "The police officer|The team manager|The midwife|The youth worker|The independent reviewing officer"
).split("|")
VERBS = "noticed|recorded|questioned|shared|escalated|missed|reviewed|discussed|checked|followed up".split("|")
OBJECTS = (
    "the missed appointments|the new adult in the household|the bruising on the baby|the worries raised by the school|"
    "what the child said at the last visit|the history held by another agency|the referral from the neighbour|"
    "the gaps in the chronology|the plan agreed at the strategy meeting|the change in the parent's mood"
).split("|")
ENDINGS = (
    "before the case was closed|at the next supervision|with the wider network|within a working day|"
    "after the home visit|when the plan was reviewed|during the assessment|as the review later found|"
    "in line with local procedures|without waiting for a meeting"
).split("|")
HEADINGS = ("What happened", "What the review found", "What to do differently", "Questions for your team")


class _EnvLoader(yaml.SafeLoader):
    """Reads mkdocs.yml, taking the default of each `!ENV [NAME, default]` value."""


_EnvLoader.add_constructor("!ENV", lambda loader, node: loader.construct_sequence(node)[-1])
# The generated pages' owner: the first team mkdocs.yml lists (the build accepts only those).
OWNER = yaml.load((ROOT / OURS).read_text(encoding="utf-8"), Loader=_EnvLoader)["extra"]["owners"][0]


def snapshot(dest: Path) -> Path:
    """Copy the parts of the project a build reads, so edits by others during the run cannot skew it."""
    dest.mkdir(parents=True, exist_ok=True)
    for name in COPIED:
        source = ROOT / name
        if source.is_dir():
            shutil.copytree(source, dest / name, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            shutil.copy2(source, dest / name)
    write_config(dest / STOCK, stock_overrides(OURS))
    return dest


def stock_overrides(base: str) -> dict:
    """Stock Material over the same Markdown: our config without the hook, not strict (its warnings allowed)."""
    return {"INHERIT": base, "hooks": [], "strict": False}


def write_config(path: Path, data: dict) -> None:
    path.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True), encoding="utf-8")


def sentence(rng: random.Random) -> str:
    """One plausible sentence with an abbreviation in it."""
    abbr = rng.choice(ABBREVIATIONS)
    return (
        f"{rng.choice(SUBJECTS)} {rng.choice(VERBS)} {rng.choice(OBJECTS)} {rng.choice(ENDINGS)}, "
        f"and the {abbr} was told."
    )


def paragraph(rng: random.Random, sentences: int = 4) -> str:
    return " ".join(sentence(rng) for _ in range(sentences))


def front_matter(fields: dict) -> str:
    return "---\n" + yaml.safe_dump(fields, sort_keys=False, allow_unicode=True, width=1000) + "---\n\n"


def governance(rng: random.Random, title: str, description: str) -> dict:
    """The governance fields every guidance page must have."""
    return {
        "title": title,
        "description": description,
        "owner": OWNER,
        "last_reviewed": dt.date(2026, 11, 26),
        "review_due": dt.date(2027, 11, 26),
        "audience": rng.sample(["public", "practitioners", "managers", "chairs"], 2),
        "status": rng.choice(["current", "current", "historical"]),
    }


def note_page(index: int, count: int, rng: random.Random) -> str:
    """A guidance page of about 300 words: four sections, a list, links to pages, anchors and other notes."""
    title = f"Practice note {index}"
    meta = governance(rng, title, f"Learning from review {index}: {rng.choice(OBJECTS)} and what practitioners do.")
    other = f"note-{(index % count) + 1:04d}.md"
    body = [f"# {title}", paragraph(rng, 3)]
    for number, heading in enumerate(HEADINGS):
        body += [f"## {heading}", paragraph(rng)]
        if number == 1:
            body.append("\n".join(f"- {sentence(rng)}" for _ in range(3)))
        if number == 2:
            body.append(
                f"Read [the next practice note]({other}#what-the-review-found), "
                "[how referrals were made](../referrals/making-a-referral.md) and "
                "[what replaced SCRs](../about-scrs.md#what-replaced-serious-case-reviews)."
            )
    return front_matter(meta) + "\n\n".join(body) + "\n"


def question_file(index: int, rng: random.Random) -> str:
    """A FAQ question file: id, question, topic, order and tags, with a short answer (no headings)."""
    qid = f"bench-question-{index:04d}"
    meta = {
        "id": qid,
        "question": f"What did review {index} show about {rng.choice(OBJECTS).removeprefix('the ')}?",
        "topic": rng.choice(TOPICS),
        "order": 100 + index,
        "tags": rng.sample(TAGS, 2),
    }
    answer = [paragraph(rng, 3), "\n".join(f"- {sentence(rng)}" for _ in range(2)), paragraph(rng, 2)]
    answer.append("Read more in [about SCRs](../about-scrs.md).")
    return front_matter(meta) + "\n\n".join(answer) + "\n"


def theme_page(index: int, rng: random.Random) -> str:
    """A practice theme: card fields, governance fields and the five sections every theme has."""
    title = f"Theme {index}: {rng.choice(OBJECTS).removeprefix('the ')}"
    meta = governance(rng, title, f"Practice theme {index} from serious case reviews, in a child's words.")
    meta.pop("status")
    meta = {
        **meta,
        "summary": sentence(rng),
        "child_says": "Nobody asked me what it was like at home.",
        "order": 200 + index,
        "tags": rng.sample(TAGS, 2),
        "status": "current",
    }
    sections = {
        "What I needed you to see and hear": paragraph(rng),
        "What reviews found": "\n".join(f"- {sentence(rng)}" for _ in range(4)) + "[^1]",
        "What you can do": "\n".join(f"- {sentence(rng)}" for _ in range(4)),
        "Questions for supervision": "\n".join(f"{n}. {sentence(rng)}" for n in range(1, 4)),
        "Sources": "- *Complexity and challenge*, DfE, March 2020.",
    }
    body = [f"# {title}"] + [f"## {heading}\n\n{text}" for heading, text in sections.items()]
    body.append("[^1]: *Complexity and challenge*, DfE, March 2020.")
    return front_matter(meta) + "\n\n".join(body) + "\n"


def add_pages(project: Path, pages: int, questions: int, themes: int, seed: int = 7) -> None:
    """Write generated notes, FAQ questions and themes into a snapshot, with configs that list the notes."""
    rng = random.Random(seed)
    docs = project / "docs"
    (docs / NOTES).mkdir()
    for index in range(1, pages + 1):
        (docs / NOTES / f"note-{index:04d}.md").write_text(note_page(index, pages, rng), encoding="utf-8")
    for index in range(1, questions + 1):
        (docs / "faq" / f"bench-question-{index:04d}.md").write_text(question_file(index, rng), encoding="utf-8")
    for index in range(1, themes + 1):
        (docs / "practice-themes" / f"bench-theme-{index:03d}.md").write_text(theme_page(index, rng), encoding="utf-8")
    nav = yaml.load((project / OURS).read_text(encoding="utf-8"), Loader=_EnvLoader)["nav"]
    write_config(project / SCALED, {"INHERIT": OURS, "nav": nav + [{"Practice notes": notes_nav(pages)}]})
    write_config(project / SCALED_STOCK, stock_overrides(SCALED))


def notes_nav(pages: int) -> list[dict]:
    """The generated notes in nav sections of GROUP pages each."""
    sections = []
    for first in range(1, pages + 1, GROUP):
        last = min(first + GROUP - 1, pages)
        items = [{f"Practice note {i}": f"{NOTES}/note-{i:04d}.md"} for i in range(first, last + 1)]
        sections.append({f"Notes {first} to {last}": items})
    return sections
