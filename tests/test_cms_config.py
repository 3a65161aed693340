"""The web editor's forms (admin/config.yml) agree with the front-matter schema the build checks files with, and the
editor stays apart from the public site (its own Content-Security-Policy; out of search, the sitemap, the offline
copy and every public page)."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from bs4 import BeautifulSoup
from conftest import ROOT, build_site, guidance_sources, mkdocs_config, theme_sources
from scr import briefings, cms, faq, frontmatter, security, themes
from scr.errors import EditorError
from scr.frontmatter import MarkdownFile
from scr.site import Settings

SELECTS = {"audience": "audiences", "status": "statuses", "tags": "tags", "topic": "faq_topics"}


def choices(extra: dict) -> cms.Choices:
    settings = Settings.from_extra(extra)
    return cms.Choices(
        settings.audiences, settings.statuses, settings.faq_topics, settings.tags, tuple(settings.owners)
    )


def generated() -> dict:
    """The editor's configuration for this project, as the build makes it."""
    config = mkdocs_config()
    pages = [(src, meta["title"]) for src, meta in guidance_sources().items() if not themes.is_theme(src)]
    repo = cms.repository(config.get("repo_url"), config.get("edit_uri"))
    return cms.config(choices(config["extra"]), pages, repo, config["site_url"])


def collection(config: dict, name: str) -> dict:
    return next(c for c in config["collections"] if c["name"] == name)


def fields(config: dict, name: str) -> dict[str, dict]:
    found = collection(config, name)
    forms = [found["fields"]] if "fields" in found else [file["fields"] for file in found["files"]]
    assert all(form == forms[0] for form in forms), "every guidance page has the same form"
    return {spec["name"]: spec for spec in forms[0]}


# What the build requires of each kind of file, read from the modules that check them.
REQUIRED = {
    "pages": set(frontmatter.REQUIRED),
    "faq": set(faq.REQUIRED) | {"tags"},
    "themes": set(frontmatter.REQUIRED) | set(themes.REQUIRED) | {"tags"},
}
SCHEMA = {
    "pages": [*frontmatter.REQUIRED, *(n for n in frontmatter.OPTIONAL if n not in cms.THEME_ONLY)],
    "faq": list(faq.FIELDS),
    "themes": [*frontmatter.REQUIRED, *frontmatter.OPTIONAL],
}


@pytest.mark.parametrize("name", SCHEMA)
def test_every_schema_field_is_in_the_form_with_its_required_flag_and_nothing_else(name):
    form = fields(generated(), name)
    assert set(form) - {"body"} == set(SCHEMA[name]), "the form's fields are the schema's"
    for key in SCHEMA[name]:
        assert form[key]["required"] is (key in REQUIRED[name]), f"{name}: {key}"
    assert form["body"]["widget"] == "markdown" and form["body"]["modes"] == ["raw"], "the text as it is written"


def test_pages_faq_and_themes_are_where_the_build_reads_them():
    config = generated()
    pages = collection(config, "pages")
    expected = {"docs/" + src for src in guidance_sources() if src not in theme_sources()}
    assert {file["file"] for file in pages["files"]} == expected, "every guidance page that is not a theme"
    assert collection(config, "faq")["folder"] == "docs/faq" and collection(config, "faq")["create"] is True
    assert collection(config, "themes")["folder"] == "docs/" + themes.FOLDER.rstrip("/")
    # the FAQ page (faq/index.md) has a title and a question file never has one (faq.FIELDS): the filter keeps files
    # without a title, so the FAQ list is the questions only
    assert collection(config, "faq")["filter"] == {"field": "title"} and "title" not in faq.FIELDS
    assert "title" in guidance_sources()["faq/index.md"]


def test_every_value_mkdocs_yml_allows_is_offered_and_no_other():
    config, extra = generated(), mkdocs_config()["extra"]
    for name in ("pages", "faq", "themes"):
        for key, spec in fields(config, name).items():
            if key in SELECTS:
                assert spec["widget"] == "select", f"{name}: {key}"
                allowed = {str(value): label for value, label in extra[SELECTS[key]].items()}
                assert {o["value"]: o["label"] for o in spec["options"]} == allowed, f"{name}: {key}"
                assert spec.get("multiple", False) is (key in ("audience", "tags")), f"{name}: {key}"
    for name in ("pages", "themes"):
        owner = fields(config, name)["owner"]
        assert owner["widget"] == "select" and owner["options"] == extra["owners"], f"{name}: owner"
    assert fields(config, "pages")["hide"]["options"] == list(frontmatter.MATERIAL_HIDE)


def test_a_new_audience_tag_topic_or_owner_in_mkdocs_yml_is_offered_at_once():
    extra = mkdocs_config()["extra"]
    extra = {**extra, "audiences": {**extra["audiences"], "governors": "School governors"}}
    extra["tags"] = {**extra["tags"], "bullying": "Bullying"}
    extra["owners"] = [*extra["owners"], "Designated safeguarding leads network"]
    config = cms.config(choices(extra), [], ("o/r", "main"), None)
    assert {"label": "School governors", "value": "governors"} in fields(config, "themes")["audience"]["options"]
    assert {"label": "Bullying", "value": "bullying"} in fields(config, "faq")["tags"]["options"]
    assert "Designated safeguarding leads network" in fields(config, "themes")["owner"]["options"]


def test_a_field_added_to_the_schema_appears_in_the_forms(tmp_path):
    """In a copy of the hook's modules, a new optional page field and a new FAQ field show in the forms."""
    hooks = tmp_path / "hooks"
    shutil.copytree(ROOT / "hooks", hooks, ignore=shutil.ignore_patterns("__pycache__"))
    schema = hooks / "scr" / "frontmatter.py"
    text = schema.read_text(encoding="utf-8")
    schema.write_text(text.replace('OPTIONAL = (\n    "status",', 'OPTIONAL = (\n    "funding_body",\n    "status",'))
    module = hooks / "scr" / "faq.py"
    text = module.read_text(encoding="utf-8")
    module.write_text(text.replace('FIELDS = ("id",', 'FIELDS = ("source_report", "id",'))
    script = (
        "import json, sys; sys.path.insert(0, sys.argv[1]); from scr import cms; "
        "c = cms.Choices({'a': 'A'}, {'current': 'Current'}, {'when': 'When'}, {'t': 'T'}); "
        "print(json.dumps(cms.config(c, [('x.md', 'X')], ('o/r', 'main'), None)))"
    )
    result = subprocess.run([sys.executable, "-c", script, str(hooks)], capture_output=True, text=True, check=True)
    config = json.loads(result.stdout)
    for name in ("pages", "themes"):
        assert fields(config, name)["funding_body"] == {
            "name": "funding_body",
            "label": "Funding body",
            "widget": "string",
            "required": False,
        }
    assert fields(config, "faq")["source_report"]["required"] is False
    assert "funding_body" not in fields(generated(), "pages"), "the real schema has no such field"


def test_dates_are_date_only_pickers_written_as_the_front_matter_reader_wants():
    for name in ("pages", "themes"):  # FAQ questions have no dates
        for key in frontmatter.DATE_FIELDS:
            spec = fields(generated(), name)[key]
            assert spec["widget"] == "datetime" and spec["time_format"] is False
            assert spec["date_format"] == "YYYY-MM-DD" and "format" not in spec
            written = [meta[key] for meta in guidance_sources().values()]
            assert all(re.search(spec["pattern"][0], str(value)) for value in written), "today's dates all pass"
            assert not re.search(spec["pattern"][0], "31/03/2027")


def doc(key: str, value: str) -> MarkdownFile:
    return MarkdownFile("docs/practice-themes/x.md", {key: value}, {key: 2}, "", 3)


@pytest.mark.parametrize("key", list(briefings.FIELDS))
def test_briefing_limits_are_hints_and_the_forms_pattern_refuses_what_the_build_refuses(key):
    """The pattern (a JavaScript regular expression, which Python reads the same way here) agrees with
    briefings.check_front_matter on text at, and one word over, each box's limit."""
    _box, limit, _purpose = briefings.FIELDS[key]
    spec = fields(generated(), "themes")[key]
    assert spec["widget"] == "text" and spec["required"] is False
    assert f"At most {limit} words" in spec["hint"]
    samples = [
        "word " * (limit - 1) + "end.",
        "word " * limit + "end.",
        "One sentence here. And a second one.",
        "A child's day, seen whole.",
    ]
    for sample in samples:
        try:
            briefings.check_front_matter(doc(key, sample))
            accepted = True
        except EditorError:
            accepted = False
        assert bool(re.search(spec["pattern"][0], sample)) is accepted, (key, sample)


def test_the_editor_saves_to_the_repository_mkdocs_yml_names_through_pull_requests():
    config, settings = generated(), mkdocs_config()
    repo, branch = cms.repository(settings.get("repo_url"), settings.get("edit_uri"))
    assert config["backend"] == {"name": "github", "repo": repo, "branch": branch}
    assert repo in (settings.get("repo_url") or settings["edit_uri"])
    assert config["publish_mode"] == "editorial_workflow"
    port = re.search(r"^CMS_PORT \?= (\d+)$", (ROOT / "Makefile").read_text(encoding="utf-8"), re.M).group(1)
    assert config["local_backend"]["url"] == f"http://127.0.0.1:{port}/api/v1", "where `make cms` starts decap-server"
    assert cms.repository(None, "https://gitlab.com/a/b/-/edit/main/docs/") is None


# The built editor, and the public site around it (needs the fetched editor: not in `make check-content`).


@pytest.fixture(scope="module")
def web_and_offline(site, offline_copy) -> tuple[Path, Path]:
    """The session's real web build and the offline copy as its zip gives it."""
    return site, offline_copy


@pytest.mark.full
def test_the_web_build_has_the_editor_with_its_own_policy_and_noindex(web_and_offline):
    site, _ = web_and_offline
    admin = site / cms.FOLDER
    page = BeautifulSoup((admin / "index.html").read_text(encoding="utf-8"), "html.parser")
    assert "noindex" in page.find("meta", attrs={"name": "robots"})["content"]
    policy = page.find("meta", attrs={"http-equiv": "Content-Security-Policy"})["content"]
    assert policy == cms.policy(cms.DEFAULT_LOCAL_BACKEND)
    assert (
        "https://api.github.com" in policy
        and "object-src 'none'" in policy
        and "'unsafe-inline'" not in policy.split(";")[1]
    )
    assert [script.get("src") for script in page.find_all("script")] == [cms.SCRIPT], "no inline script"
    icon = page.find("link", rel="icon")["href"]  # the site's own, or the browser asks for a missing /favicon.ico
    favicon = site / mkdocs_config()["theme"]["favicon"]
    assert (admin / icon).resolve() == favicon.resolve() and favicon.is_file()
    assert (admin / cms.SCRIPT).read_bytes() == (cms.bundle_dir(ROOT) / cms.SCRIPT).read_bytes()
    built, expected = yaml.safe_load((admin / "config.yml").read_text(encoding="utf-8")), generated()
    files = [collection(config, "pages").pop("files") for config in (built, expected)]
    assert built == json.loads(json.dumps(expected)), "the forms the build writes are the schema's"
    assert sorted(file["file"] for file in files[0]) == sorted(file["file"] for file in files[1])


@pytest.mark.full
def test_the_public_pages_policy_and_pages_are_unchanged_by_the_editor(web_and_offline):
    """`_headers` is the site-wide block the public pages' scripts need, as before, plus one block for /admin/;
    no public page, search entry or sitemap address mentions the editor."""
    site, _ = web_and_offline
    public = [p for p in site.rglob("*.html") if not p.relative_to(site).as_posix().startswith(cms.FOLDER)]
    hashes = set()
    for path in public:
        html = path.read_text(encoding="utf-8")
        hashes.update(security.inline_script_hashes(html))
        meta = re.search(r'http-equiv="Content-Security-Policy" content="([^"]+)"', html)
        if meta:
            assert meta.group(1) == security.policy(security.inline_script_hashes(html)), path
        assert "admin/" not in html and "decap" not in html.lower(), path
    headers = (site / "_headers").read_text(encoding="utf-8")
    public_block, admin_block = headers.split("\n/" + cms.FOLDER + "*\n")
    assert public_block + "\n" == security.headers_file(sorted(hashes))
    assert "'unsafe-eval'" in admin_block and "'unsafe-eval'" not in public_block
    for name in ("sitemap.xml", "search/search_index.json"):
        assert cms.FOLDER not in (site / name).read_text(encoding="utf-8"), name
    for asset in [*site.glob("assets/**/*.js"), *site.glob("assets/**/*.css")]:
        assert "decap" not in asset.read_text(encoding="utf-8", errors="ignore").lower(), asset


@pytest.mark.full
def test_the_offline_copy_has_no_editor(web_and_offline):
    _, offline = web_and_offline
    assert not (offline / cms.FOLDER).exists()
    assert not any("admin/" in p.read_text(encoding="utf-8") for p in offline.rglob("*.html"))


@pytest.mark.full
def test_admin_holds_the_pinned_version_with_its_licence_notice_and_no_source_map(web_and_offline):
    """The files scripts/fetch_web_editor.py unpacked for the version package.json pins, copied whole: the bundle
    (which announces its own version) and the licence notice its first line points to; no source map. (Chunks it
    could load on demand are left out: tests/test_cms_browser.py fails if the editor asks for a missing file.)"""
    site, _ = web_and_offline
    pin = json.loads((ROOT / "package.json").read_text(encoding="utf-8"))["webEditor"]
    fetched = ROOT / ".cache" / "web-editor" / f"{pin['name']}-{pin['version']}"
    admin = site / cms.FOLDER
    copied = {path.name for path in admin.iterdir()} - {"index.html", "config.yml"}
    assert copied == {path.name for path in fetched.iterdir()}
    assert all((admin / name).read_bytes() == (fetched / name).read_bytes() for name in copied)
    assert f'"{pin["name"]} {pin["version"]}"' in (admin / cms.SCRIPT).read_text(encoding="utf-8")
    assert copied == {cms.SCRIPT, cms.SCRIPT + ".LICENSE.txt"}, "the bundle and its licence notice, nothing else"
    assert cms.SCRIPT + ".LICENSE.txt" in (admin / cms.SCRIPT).read_text(encoding="utf-8")[:300]


def test_a_web_build_without_the_fetched_editor_stops_at_once_naming_the_command(project_copy, tmp_path):
    """Only `make check-content` (SCR_CMS=0) and `mkdocs serve` leave the editor out on purpose. Any other web
    build without it stops before a page is built, with the command that fetches it: no site goes out without
    /admin/. (The tests' other copies of the project build with SCR_CMS=0: tests/conftest.py, build_site.)"""
    assert not (project_copy / ".cache").exists()
    pin = json.loads((ROOT / "package.json").read_text(encoding="utf-8"))["webEditor"]
    result = build_site(project_copy, tmp_path / "site", {"SCR_CMS": "1"})
    assert result.returncode != 0 and "Traceback" not in result.stderr
    package = f"{pin['name']}-{pin['version']}"
    where = f".cache/web-editor/{package}: the web editor at /admin/ ({pin['name']} {pin['version']}, pinned"
    assert where in result.stderr, result.stderr
    assert f"How to fix it: run `{cms.FETCH_COMMAND}`" in result.stderr and "SCR_CMS=0" in result.stderr
    target = cms.FETCH_COMMAND.removeprefix("make ")
    assert re.search(rf"^{target}: ", (ROOT / "Makefile").read_text(encoding="utf-8"), re.M), "the command exists"
    assert not list((tmp_path / "site").rglob("*.html")), "stopped before any page"


def test_a_docs_folder_without_a_github_repository_is_told_what_to_set(project_copy, tmp_path):
    (project_copy / ".cache").mkdir()
    (project_copy / ".cache" / "web-editor").symlink_to(cms.bundle_dir(ROOT).parent)  # the fetched editor
    config = project_copy / "mkdocs.yml"
    text = config.read_text(encoding="utf-8")
    config.write_text(re.sub(r"^edit_uri: .*$", "edit_uri: https://gitlab.com/a/b/-/edit/main/docs/", text, flags=re.M))
    result = build_site(project_copy, tmp_path / "site", {"SCR_CMS": "1"})
    assert result.returncode != 0 and "Traceback" not in result.stderr
    assert "web editor at /admin/ saves to a GitHub repository" in result.stderr and "edit_uri" in result.stderr
