"""The build's settings from the environment (hooks/scr/options.py): read once, and a wrong value is a message
naming the setting and what to write, never a traceback."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from conftest import build_site
from scr.errors import EditorError
from scr.options import Options


def test_nothing_set_means_the_defaults():
    options = Options.from_environ({})
    assert options == Options()
    assert options.review_day == dt.date.today()


def test_each_setting_is_read():
    options = Options.from_environ(
        {
            "SCR_PDF": "0",
            "SCR_PDF_CACHE": "/tmp/cache",
            "SCR_PDF_WORKERS": "3",
            "SCR_PDF_START_METHOD": "spawn",
            "SCR_BRIEFINGS": "0",
            "SCR_HANDBOOK": "0",
            "SCR_OFFLINE_ZIP": "1",
            "SCR_OFFLINE_COPY": "1",
            "SCR_TODAY": "2027-03-31",
            "SCR_PREVIEW_DIR": "pr-preview/pr-12/",
            "SOURCE_DATE_EPOCH": "1767225600",
            "GITHUB_ACTIONS": "true",
            "SCR_CMS": "0",
            "SCR_CMS_LOCAL_BACKEND": "http://127.0.0.1:9000/api/v1",
        }
    )
    assert options == Options(
        pdf=False,
        pdf_cache=Path("/tmp/cache"),
        pdf_workers=3,
        pdf_start_method="spawn",
        briefings=False,
        handbook=False,
        offline_zip=True,
        offline_copy=True,
        today=dt.date(2027, 3, 31),
        preview_dir="pr-preview/pr-12/",
        source_date="2026-01-01T00:00:00Z",
        on_github_actions=True,
        cms=False,
        cms_local_backend="http://127.0.0.1:9000/api/v1",
    )
    assert options.review_day == dt.date(2027, 3, 31)


@pytest.mark.parametrize(
    "name, value",
    [
        ("SCR_PDF", "yes"),
        ("SCR_HANDBOOK", "no"),
        ("SCR_BRIEFINGS", "off"),
        ("SCR_PDF_WORKERS", "two"),
        ("SCR_PDF_START_METHOD", "thread"),
        ("SCR_TODAY", "31/03/2027"),
        ("SCR_PREVIEW_DIR", "../outside/"),
        ("SCR_PREVIEW_DIR", "pr-12"),
        ("SOURCE_DATE_EPOCH", "yesterday"),
        ("SCR_CMS", "off"),
        ("SCR_CMS_LOCAL_BACKEND", "127.0.0.1:8081"),
        ("SCR_CMS_LOCAL_BACKEND", "ftp://127.0.0.1/api/v1"),
    ],
)
def test_a_wrong_value_names_the_setting_and_what_to_write(name, value):
    with pytest.raises(EditorError) as caught:
        Options.from_environ({name: value})
    assert name in caught.value.path and repr(value) in caught.value.problem
    assert caught.value.fix


def test_a_wrong_setting_stops_a_real_build_with_its_message(project_copy, tmp_path):
    result = build_site(project_copy, tmp_path / "site", {"SCR_PDF": "yes"})
    assert result.returncode != 0
    assert "SCR_PDF: it is 'yes'." in result.stderr and "set it to 1 (on) or 0 (off)" in result.stderr
    assert "Traceback" not in result.stderr
