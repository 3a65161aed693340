"""The pull request's two helpers: which checks a change needs (scripts/change_scope.py), and each problem put on
the line that caused it (scripts/annotate.py)."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
from conftest import ROOT, import_script

scope = import_script("change_scope")
annotate = import_script("annotate")

CONFIG = """site_name: A site
nav:
  - index.md
extra:
  contacts:
    office:
      phone: "01480 000000"
  tags:
    neglect: Neglect
plugins:
  - search
"""


def git(repo, *args):
    return subprocess.run(["git", *args], cwd=repo, check=True, capture_output=True, text=True).stdout


@pytest.fixture
def repo(tmp_path):
    """A small project in git, with a base commit to compare pull requests with."""
    (tmp_path / "docs" / "javascripts").mkdir(parents=True)
    (tmp_path / "hooks").mkdir()
    (tmp_path / "mkdocs.yml").write_text(CONFIG, encoding="utf-8")
    (tmp_path / "docs" / "index.md").write_text("# Home\n", encoding="utf-8")
    (tmp_path / "docs" / "javascripts" / "site.js").write_text("// site\n", encoding="utf-8")
    (tmp_path / "hooks" / "hook.py").write_text("# hook\n", encoding="utf-8")
    git(tmp_path, "init", "-q", "-b", "main")
    git(tmp_path, "-c", "user.name=t", "-c", "user.email=t@example.org", "commit", "-q", "--allow-empty", "-m", "x")
    git(tmp_path, "add", ".")
    git(tmp_path, "-c", "user.name=t", "-c", "user.email=t@example.org", "commit", "-q", "-m", "base")
    git(tmp_path, "checkout", "-q", "-b", "change")
    return tmp_path


def decide(repo) -> str:
    git(repo, "add", "-A")
    git(repo, "-c", "user.name=t", "-c", "user.email=t@example.org", "commit", "-q", "-m", "change")
    result = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "change_scope.py"), "main", "HEAD"],
        cwd=repo,
        capture_output=True,
        text=True,
        check=True,
    )
    return result.stdout.strip()


def edit(path, old, new):
    path.write_text(path.read_text(encoding="utf-8").replace(old, new), encoding="utf-8")


def test_a_page_edit_is_content_only(repo):
    edit(repo / "docs" / "index.md", "Home", "Home page")
    (repo / "docs" / "new-page.md").write_text("# New\n", encoding="utf-8")
    assert decide(repo) == "content=true"


def test_a_new_phone_number_or_tag_in_extra_is_content_only(repo):
    edit(repo / "mkdocs.yml", "01480 000000", "01480 111111")
    edit(repo / "mkdocs.yml", "    neglect: Neglect\n", "    neglect: Neglect\n    babies: Babies\n")
    assert decide(repo) == "content=true"


@pytest.mark.parametrize(
    "change",
    [
        lambda repo: edit(repo / "mkdocs.yml", "  - index.md\n", "  - index.md\n  - other.md\n"),  # the navigation
        lambda repo: edit(repo / "mkdocs.yml", "  - search\n", "  - search\nhooks: [hooks/hook.py]\n"),  # after extra
        lambda repo: edit(repo / "docs" / "javascripts" / "site.js", "site", "changed"),  # the site's own code
        lambda repo: edit(repo / "hooks" / "hook.py", "hook", "changed"),
        lambda repo: git(repo, "mv", "hooks/hook.py", "docs/hook.py"),  # code moved under docs/
    ],
    ids=["nav", "new-top-level-key", "site-js", "hook", "code-moved-into-docs"],
)
def test_anything_else_runs_every_test(repo, change):
    change(repo)
    assert decide(repo) == "content=false"


def test_a_broken_link_is_annotated_on_its_own_line(project_copy):
    """A real strict build of a copy with one broken link: the annotation names that file and line."""
    page = sorted((project_copy / "docs").glob("*.md"))[0]
    lines = page.read_text(encoding="utf-8").rstrip("\n").splitlines()
    page.write_text(
        "\n".join([*lines, "", "See [a page that is not there](no-such-page.md)."]) + "\n", encoding="utf-8"
    )
    broken = len(lines) + 2  # 1-based line of the new link
    command = [sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(project_copy / "out")]
    env = {**os.environ, "GITHUB_ACTIONS": "true", "SCR_PDF": "0", "SCR_CMS": "0", "NO_MKDOCS_2_WARNING": "1"}
    result = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "annotate.py"), *command],
        cwd=project_copy,
        env=env,
        capture_output=True,
        text=True,
    )
    assert result.returncode != 0, "the build must still fail"
    annotations = [line for line in result.stdout.splitlines() if line.startswith("::error ")]
    expected = f"::error file=docs/{page.name},line={broken},"
    assert any(line.startswith(expected) for line in annotations), annotations
    (mine,) = [line for line in annotations if line.startswith(expected)]
    assert "no-such-page.md" in mine and "How to fix it: " in mine


def test_each_kind_of_message_becomes_one_annotation():
    output = "\n".join(
        [
            "ERROR   -  docs/faq/a.md, line 3, column 7: unknown field `draft`, so it would be ignored.",
            "  How to fix it: did you mean `question`?",
            "WARNING -  docs/b.md, line 9: the link 'x.md' goes to docs/x.md, which does not exist.",
            "  How to fix it: check the file name.",
            "WARNING -  docs/b.md, line 9: the link 'x.md' goes to docs/x.md, which does not exist.",  # said twice
            "docs/c.md:12: colour ==> color",  # codespell's format
            "review due: docs/d.md, line 5: the review is due on 2027-01-01 (owner: Business unit).",
            "INFO    -  Documentation built in 1.00 seconds",
        ]
    )
    found = annotate.problems(output)
    assert [(p.path, p.line, p.column, p.level) for p in found] == [
        ("docs/faq/a.md", 3, 7, "error"),
        ("docs/b.md", 9, None, "error"),  # a strict build fails on a warning
        ("docs/c.md", 12, None, "error"),
        ("docs/d.md", 5, None, "notice"),  # a review falling due never fails anything
    ]
    assert found[0].fix == "did you mean `question`?"
    command = found[1].command()
    assert command.startswith("::error file=docs/b.md,line=9,title=the link 'x.md' goes to docs/x.md%2C which")
    assert command.endswith("::How to fix it: check the file name.")


def test_outside_github_actions_the_output_is_unchanged(tmp_path):
    message = "docs/a.md, line 2: a problem"
    env = {key: value for key, value in os.environ.items() if key != "GITHUB_ACTIONS"}
    result = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "annotate.py"), sys.executable, "-c", f"print({message!r}); exit(3)"],
        env=env,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 3 and result.stdout == message + "\n" and "::" not in result.stdout
