"""The GitHub Actions workflows, the pre-commit config, `make lint` and the link checker's pure parts.

No network: the link checker is only imported, never run; the workflows are read, never run.
"""

from __future__ import annotations

import importlib.util
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
WORKFLOWS = ROOT / ".github" / "workflows"
BIN = ROOT / ".venv" / "bin"

# The README's commands: the workflows build and test with these and nothing else.
README_COMMANDS = {"make test", "make build", "make setup", "make check-content"}
# The one other line a container job runs: it lets git read the checkout (see test below).
SAFE_DIRECTORY = 'git config --global --add safe.directory "$GITHUB_WORKSPACE"'
# The one line the pull request's scope job runs, before any set-up (standard library only).
SCOPE_LINE = 'python3 scripts/change_scope.py "$BASE" HEAD >> "$GITHUB_OUTPUT"'
# Actions the workflows may use: fetch the code, provide Python, hand files on, publish, publish previews.
ALLOWED_ACTIONS = {
    "actions/checkout",
    "actions/setup-python",
    "actions/upload-artifact",
    "actions/download-artifact",
    "JamesIves/github-pages-deploy-action",
    "rossjrw/pr-preview-action",
}
# Installing anything by hand would mean CI passes where a developer's `make test` does not.
FORBIDDEN_WORDS = {"pip", "pip3", "apt", "apt-get", "sudo", "curl", "wget", "npm", "uv", "pipx", "conda"}


def _load_script(name: str):
    spec = importlib.util.spec_from_file_location(name, ROOT / "scripts" / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module  # dataclasses look the module up while the class is made
    spec.loader.exec_module(module)
    return module


links = _load_script("check_external_links")


def load_workflow(name: str) -> dict:
    data = yaml.safe_load((WORKFLOWS / name).read_text(encoding="utf-8"))
    # YAML 1.1 reads the key `on` as the boolean True.
    if True in data:
        data["on"] = data.pop(True)
    return data


def steps(workflow: dict) -> list[tuple[str, dict]]:
    return [(job_id, step) for job_id, job in workflow["jobs"].items() for step in job.get("steps", [])]


def run_lines(workflow: dict) -> list[str]:
    """Every non-blank line of every `run:` script, stripped."""
    return [
        line.strip()
        for _, step in steps(workflow)
        if "run" in step
        for line in step["run"].splitlines()
        if line.strip() and not line.strip().startswith("#")
    ]


def is_step_summary(line: str) -> bool:
    """`echo "..." >> "$GITHUB_STEP_SUMMARY"`: text for the run's summary page, nothing else."""
    return line.startswith("echo ") and line.endswith('>> "$GITHUB_STEP_SUMMARY"') and "$(" not in line


WORKFLOW_FILES = sorted(p.name for p in WORKFLOWS.glob("*.y*ml"))


def test_the_three_workflows_exist():
    assert {"pull-request.yml", "publish.yml", "external-links.yml"} <= set(WORKFLOW_FILES)


@pytest.mark.parametrize("name", WORKFLOW_FILES)
def test_workflow_parses_and_has_triggers_and_jobs(name):
    workflow = load_workflow(name)
    assert workflow.get("name"), f"{name} has no name"
    assert workflow.get("on"), f"{name} has no `on:` triggers"
    assert workflow.get("jobs"), f"{name} has no jobs"
    for job_id, job in workflow["jobs"].items():
        assert job.get("runs-on"), f"{name}: job {job_id} has no runs-on"
        assert job.get("steps"), f"{name}: job {job_id} has no steps"
        for step in job["steps"]:
            assert ("uses" in step) != ("run" in step), f"{name}: a step needs exactly one of uses/run: {step}"


def test_workflows_match_the_github_actions_schema():
    """Validated offline against the workflow schema that check-jsonschema ships."""
    files = [str(WORKFLOWS / name) for name in WORKFLOW_FILES]
    result = subprocess.run(
        [sys.executable, "-m", "check_jsonschema", "--builtin-schema", "vendor.github-workflows", *files],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.parametrize("name", WORKFLOW_FILES)
def test_workflows_use_only_known_actions_and_install_nothing_by_hand(name):
    workflow = load_workflow(name)
    for _, step in steps(workflow):
        if "uses" in step:
            action, _, version = step["uses"].partition("@")
            assert action in ALLOWED_ACTIONS, f"{name}: unexpected action {step['uses']}"
            assert version, f"{name}: pin a version of {action}"
    for line in run_lines(workflow):
        if is_step_summary(line):
            continue
        words = set(shlex.split(line.replace(";", " ; ")))
        assert not words & FORBIDDEN_WORDS, f"{name}: `{line}` installs something; use the README's make targets"


@pytest.mark.parametrize("name", ["pull-request.yml", "publish.yml"])
def test_build_workflows_run_only_the_readme_commands(name):
    for line in run_lines(load_workflow(name)):
        allowed = line in README_COMMANDS or line in (SAFE_DIRECTORY, SCOPE_LINE) or is_step_summary(line)
        assert allowed, f"{name}: `{line}` is not a README command"


@pytest.mark.parametrize("name", ["pull-request.yml", "publish.yml"])
def test_build_workflows_run_on_the_readme_machine(name):
    """README: Debian 12, as root, with Node.js 20 (the set-up adds Python 3.11). (Ubuntu has no `chromium`.)"""
    for job_id, job in load_workflow(name)["jobs"].items():
        if any(step.get("run", "").startswith("make ") for step in job["steps"]):
            assert job.get("container") == "node:20-bookworm", f"{name}: job {job_id}"


def test_link_workflow_runs_setup_the_checker_and_gh_only():
    workflow = load_workflow("external-links.yml")
    assert "schedule" in workflow["on"] and "workflow_dispatch" in workflow["on"]
    assert workflow["permissions"].get("issues") == "write"
    lines = run_lines(workflow)
    assert lines[0] == "make setup"
    assert lines[1].startswith(".venv/bin/python scripts/check_external_links.py ")
    for line in lines[2:]:
        assert "gh issue " in line, f"`{line}`: after the check, the workflow only files the issue with gh"
    text = "\n".join(lines)
    assert "gh issue create" in text and "gh issue edit" in text


def _job_runs(job: dict) -> list[str]:
    return [step["run"].strip() for step in job["steps"] if "run" in step]


def _uses(job: dict, action: str) -> dict:
    (step,) = [s for s in job["steps"] if s.get("uses", "").partition("@")[0] == action]
    return step


def test_pull_request_checks_content_only_changes_quickly_and_everything_else_fully():
    workflow = load_workflow("pull-request.yml")
    assert "pull_request" in workflow["on"]
    jobs = workflow["jobs"]
    scope = jobs["scope"]
    assert _job_runs(scope) == [SCOPE_LINE]
    (step,) = [s for s in scope["steps"] if "run" in s]
    assert step["env"]["BASE"] == "${{ github.event.pull_request.base.sha }}"
    assert scope["outputs"]["content"] == f"${{{{ steps.{step['id']}.outputs.content }}}}"
    checks = jobs["checks"]
    assert checks["needs"] == "scope"
    conditions = {s["run"]: s["if"] for s in checks["steps"] if s.get("run", "").startswith("make ")}
    assert conditions == {
        "make check-content": "needs.scope.outputs.content == 'true'",
        "make test": "needs.scope.outputs.content != 'true'",
    }


def test_every_pull_request_gets_a_preview_that_does_not_wait_for_the_tests():
    workflow = load_workflow("pull-request.yml")
    assert {"opened", "synchronize", "reopened", "closed"} <= set(workflow["on"]["pull_request"]["types"])
    jobs = workflow["jobs"]
    build = jobs["preview-build"]
    assert "needs" not in build, "the preview is published whenever the build succeeds, even if a test fails"
    (make,) = [s for s in build["steps"] if s.get("run") == "make build"]
    assert make["env"]["SCR_PREVIEW_DIR"] == "pr-preview/pr-${{ github.event.pull_request.number }}/"
    upload = _uses(build, "actions/upload-artifact")
    assert upload["with"]["path"].rstrip("/") == "site"
    publish = jobs["preview"]
    assert publish["needs"] == "preview-build"
    assert publish["permissions"] == {"contents": "write", "pull-requests": "write"}
    download = _uses(publish, "actions/download-artifact")
    assert download["with"]["name"] == upload["with"]["name"]
    action = _uses(publish, "rossjrw/pr-preview-action")["with"]
    assert action["action"] == "deploy" and action["source-dir"] == download["with"]["path"]
    assert action["qr-code"] is False, "the preview's address must not go to an outside QR-code service"
    # The folder the preview is published in is the folder the site was built for.
    assert make["env"]["SCR_PREVIEW_DIR"].startswith(action["umbrella-dir"] + "/pr-")
    remove = jobs["preview-remove"]
    assert "github.event.action == 'closed'" in remove["if"]
    removal = _uses(remove, "rossjrw/pr-preview-action")["with"]
    assert removal["action"] == "remove" and removal["umbrella-dir"] == action["umbrella-dir"]
    for job_id in ("scope", "preview-build"):
        assert "github.event.action != 'closed'" in jobs[job_id]["if"], job_id


def test_publish_workflow_publishes_only_after_every_test_and_keeps_the_previews():
    workflow = load_workflow("publish.yml")
    assert workflow["on"]["push"]["branches"] == ["main"]
    assert "workflow_dispatch" in workflow["on"]
    assert workflow["permissions"] == {"contents": "read"}
    assert workflow["concurrency"]["group"] == "pages" and workflow["concurrency"]["cancel-in-progress"] is False
    jobs = workflow["jobs"]
    assert _job_runs(jobs["test"])[-1] == "make test"
    assert _job_runs(jobs["build"])[-1] == "make build"
    publish = jobs["publish"]
    assert set(publish["needs"]) == {"test", "build"}
    assert publish["permissions"] == {"contents": "write"}
    upload = _uses(jobs["build"], "actions/upload-artifact")
    download = _uses(publish, "actions/download-artifact")
    assert download["with"]["name"] == upload["with"]["name"]
    deploy = _uses(publish, "JamesIves/github-pages-deploy-action")["with"]
    assert deploy["folder"] == download["with"]["path"]
    previews = _uses(load_workflow("pull-request.yml")["jobs"]["preview"], "rossjrw/pr-preview-action")["with"]
    assert deploy["branch"] == previews["preview-branch"]
    assert deploy["clean-exclude"].rstrip("/") == previews["umbrella-dir"], "publishing would delete the previews"
    assert deploy["force"] is False, "a force-push would delete the previews"


def test_pre_commit_runs_the_lint_script_locally():
    config = yaml.safe_load((ROOT / ".pre-commit-config.yaml").read_text(encoding="utf-8"))
    hooks = [hook for repo in config["repos"] for hook in repo["hooks"]]
    assert all(repo["repo"] == "local" for repo in config["repos"]), "local hooks only: nothing to fetch"
    assert [hook["entry"] for hook in hooks] == ["bash scripts/lint.sh"]
    assert all(hook["language"] == "system" for hook in hooks)


# `make lint` itself runs before pytest in `make test`; here, that it would catch a mistake.


# The misspelling the next test plants; the marker keeps `make lint` from reporting this line.
TYPO = "recieve"  # codespell:ignore


def test_codespell_reports_a_misspelling_in_a_copy_of_the_docs(tmp_path):
    for name in (".codespellrc", ".codespell-ignore-words"):
        shutil.copy(ROOT / name, tmp_path / name)
    shutil.copytree(ROOT / "docs", tmp_path / "docs", ignore=shutil.ignore_patterns("assets", "stylesheets"))
    page = sorted((tmp_path / "docs").glob("*.md"))[0]
    page.write_text(page.read_text(encoding="utf-8") + f"\nYou will {TYPO} an answer.\n", encoding="utf-8")
    result = subprocess.run([str(BIN / "codespell"), "docs"], cwd=tmp_path, capture_output=True, text=True, timeout=60)
    assert result.returncode != 0
    assert f"docs/{page.name}" in result.stdout and f"{TYPO} ==> receive" in result.stdout


# The link checker's pure functions.


def test_extract_links_finds_markdown_links_autolinks_and_bare_urls_with_lines():
    text = (
        "---\ntitle: T\n---\n\n# T\n\n"
        'See [the panel](https://www.gov.uk/panel "Panel") and <https://example.org/a>.\n'
        "Bare: https://example.org/b, then text.\n"
        "[ref]: https://example.org/ref\n"
        "A page with brackets: [wiki](https://en.wikipedia.org/wiki/Case_(law)).\n"
        "Local [link](about-scrs.md) and [mail](mailto:a@example.org) are not external.\n"
    )
    found = [(link.url, link.line) for link in links.extract_links(text, "docs/x.md")]
    assert found == [
        ("https://www.gov.uk/panel", 7),
        ("https://example.org/a", 7),
        ("https://example.org/b", 8),
        ("https://example.org/ref", 9),
        ("https://en.wikipedia.org/wiki/Case_(law)", 10),
    ]


def test_extract_links_skips_code_and_comments():
    text = (
        "```text\nhttps://example.org/in-a-fence\n```\n\n"
        "Use `https://example.org/in-code` here.\n"
        "<!-- https://example.org/in-a-comment -->\n"
        "Real: https://example.org/real\n"
    )
    found = [(link.url, link.line) for link in links.extract_links(text, "docs/x.md")]
    assert found == [("https://example.org/real", 7)]


def test_collect_links_groups_by_address_and_reads_contacts(tmp_path):
    (tmp_path / "docs" / "faq").mkdir(parents=True)
    (tmp_path / "docs" / "a.md").write_text("[x](https://example.org/)\n", encoding="utf-8")
    (tmp_path / "docs" / "faq" / "b.md").write_text("\n<https://example.org/>\n", encoding="utf-8")
    (tmp_path / "mkdocs.yml").write_text(
        'site_url: !ENV [SITE_URL, "https://site.example/"]\n'
        "extra:\n  contacts:\n    nspcc:\n      phone: '1'\n      url: https://www.nspcc.org.uk/\n    other:\n"
        "      phone: '2'\n",
        encoding="utf-8",
    )
    found = links.collect_links(tmp_path)
    assert sorted(found) == ["https://example.org/", "https://www.nspcc.org.uk/"]
    assert [(link.path, link.line) for link in found["https://example.org/"]] == [
        ("docs/a.md", 1),
        ("docs/faq/b.md", 2),
    ]
    assert [(link.path, link.line) for link in found["https://www.nspcc.org.uk/"]] == [("mkdocs.yml", 6)]


@pytest.mark.parametrize(
    ("status", "verdict"),
    [
        (200, "ok"),
        (204, "ok"),
        (301, "ok"),
        (308, "ok"),
        (401, "unchecked"),
        (403, "unchecked"),
        (429, "unchecked"),
        (400, "broken"),
        (404, "broken"),
        (410, "broken"),
        (500, "broken"),
        (503, "broken"),
        (None, "broken"),
    ],
)
def test_classify(status, verdict):
    assert links.classify(status) == verdict


def test_check_url_falls_back_to_get_when_head_is_refused_or_fails():
    calls = []

    def fake(answers):
        def request(url, method):
            calls.append(method)
            answer = answers[method]
            if isinstance(answer, Exception):
                raise answer
            return answer

        return request

    assert links.check_url("https://a.example/", fake({"HEAD": 405, "GET": 200})).status == 200
    assert calls == ["HEAD", "GET"]
    calls.clear()
    assert links.check_url("https://a.example/", fake({"HEAD": 200, "GET": 500})).status == 200
    assert calls == ["HEAD"]
    result = links.check_url("https://a.example/", fake({"HEAD": OSError("timed out"), "GET": OSError("timed out")}))
    assert result.status is None and result.verdict == "broken" and "timed out" in result.error


def test_format_report_lists_broken_then_uncheckable_with_where_they_are():
    found = {
        "https://ok.example/": [links.Link("https://ok.example/", "docs/a.md", 3)],
        "https://gone.example/": [
            links.Link("https://gone.example/", "docs/a.md", 5),
            links.Link("https://gone.example/", "docs/b.md", 9),
        ],
        "https://down.example/": [links.Link("https://down.example/", "docs/c.md", 1)],
        "https://shy.example/": [links.Link("https://shy.example/", "docs/d.md", 2)],
    }
    results = [
        links.Result("https://ok.example/", 200),
        links.Result("https://gone.example/", 404),
        links.Result("https://down.example/", None, "timed out"),
        links.Result("https://shy.example/", 403),
    ]
    report = links.format_report(results, found)
    assert "4 external links checked: 1 fine, 2 broken, 1 could not be checked." in report
    broken = report.index("## Broken links")
    unchecked = report.index("## Could not check")
    assert broken < unchecked
    assert "| <https://gone.example/> | HTTP 404 | `docs/a.md` line 5, `docs/b.md` line 9 |" in report
    assert "| <https://down.example/> | no answer (timed out) | `docs/c.md` line 1 |" in report
    assert report.index("https://shy.example/") > unchecked
    assert "ok.example" not in report


def test_format_report_when_every_link_works():
    report = links.format_report([links.Result("https://ok.example/", 200)], {})
    assert "1 fine, 0 broken" in report
    assert "## Broken links" not in report and "## Could not check" not in report


def test_main_writes_the_report_and_the_broken_count_for_the_workflow(tmp_path, monkeypatch, capsys):
    """The glue, with the network replaced: every link 'answers' 404 except the NSPCC's."""
    monkeypatch.setattr(links, "check_url", lambda url: links.Result(url, 200 if "nspcc.org.uk/" in url else 404))
    monkeypatch.setenv("GITHUB_OUTPUT", str(tmp_path / "output"))
    assert links.main([str(tmp_path / "report.md")]) == 0
    report = (tmp_path / "report.md").read_text(encoding="utf-8")
    total = len(links.collect_links())
    fine = sum("nspcc.org.uk/" in url for url in links.collect_links())
    assert f"{total} external links checked: {fine} fine, {total - fine} broken" in report
    assert (tmp_path / "output").read_text(encoding="utf-8") == f"broken={total - fine}\n"
    assert links.main([]) == 1


# The first version of each action that runs on Node.js 24: GitHub's runners dropped the Node.js 20 runtime on
# 16 September 2026 (actions/checkout v5, setup-python v6, upload-artifact v6, download-artifact v7 and
# JamesIves/github-pages-deploy-action v4.8.0 were the first to declare node24). rossjrw/pr-preview-action is a
# composite action: it declares no runtime of its own (README, "What only GitHub can prove").
NODE_24_FIRST = {
    "actions/checkout": (5,),
    "actions/setup-python": (6,),
    "actions/upload-artifact": (6,),
    "actions/download-artifact": (7,),
    "JamesIves/github-pages-deploy-action": (4, 8),
    "rossjrw/pr-preview-action": (1, 8),  # v1.8: the current release
}


@pytest.mark.parametrize("name", WORKFLOW_FILES)
def test_every_action_runs_on_node_24(name):
    for _, step in steps(load_workflow(name)):
        if "uses" in step:
            action, _, version = step["uses"].partition("@")
            numbers = tuple(int(part) for part in version.lstrip("v").split("."))
            assert numbers >= NODE_24_FIRST[action], f"{name}: {step['uses']}"


@pytest.mark.parametrize("name", WORKFLOW_FILES)
def test_a_container_job_lets_git_read_its_checkout_before_building(name):
    """In node:20-bookworm the checkout belongs to another user: without safe.directory git refuses it, and
    "Last updated" would silently become the review date (hooks/scr/history.py now fails loudly instead)."""
    for job_id, job in load_workflow(name)["jobs"].items():
        if "container" not in job:
            continue
        runs = [step.get("run", "") for step in job["steps"]]
        safe = next(i for i, run in enumerate(runs) if run.strip() == SAFE_DIRECTORY)
        first_make = next(i for i, run in enumerate(runs) if run.startswith("make "))
        assert safe < first_make, f"{name}: job {job_id}"


@pytest.mark.parametrize("name", ["external-links.yml", "reviews-due.yml"])
def test_a_weekly_issue_is_closed_once_nothing_is_left(name):
    lines = run_lines(load_workflow(name))
    assert any("gh issue close" in line for line in lines), name
    assert any("gh issue create" in line for line in lines) and any("gh issue edit" in line for line in lines)
