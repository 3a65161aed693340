"""Every setting the build takes from the environment, read once per build into one object.

    SCR_PDF=0|1               PDFs off or on (default: on, except in `mkdocs serve`)
    SCR_PDF_CACHE=DIR         where rendered PDFs are kept between builds (default: .cache/pdf)
    SCR_PDF_WORKERS=N         rendering processes (default: one per core)
    SCR_PDF_START_METHOD=M    how they are started: fork, forkserver or spawn (default: the platform's)
    SCR_BRIEFINGS=0           leave out the 7-minute briefings (the benchmark's "without" build)
    SCR_HANDBOOK=0            leave out the handbook (tests' copy builds that check other PDFs: it holds
                              every page, so any edit renders it again, which takes the longest)
    SCR_OFFLINE_ZIP=1         this build links to the offline copy's zip (`make build`)
    SCR_OFFLINE_COPY=1        this build is the offline copy (`make build`, with mkdocs-offline.yml)
    SCR_TODAY=YYYY-MM-DD      compare review dates with this day instead of today
    SCR_PREVIEW_DIR=pr-preview/pr-12/
                              this build is a pull request's preview, published in that folder under
                              site_url: its addresses carry the folder and search engines are asked not
                              to index it
    SOURCE_DATE_EPOCH=N       the PDFs' creation date, so that identical inputs give identical bytes
    GITHUB_ACTIONS=true       on GitHub Actions, a git history that cannot be read fails the build
    SCR_CMS=0                 leave out the web editor at /admin/ (`make check-content`, which fetches no npm
                              packages); otherwise a web build without Decap's files fails, naming the command
                              that fetches them (`mkdocs serve` leaves it out with a note instead)
    SCR_CMS_LOCAL_BACKEND=URL the decap-server the web editor at /admin/ saves to when opened on this computer
                              (default: http://127.0.0.1:8081/api/v1, where `make cms` starts it)

A wrong value fails the build with the setting's name and what to write instead, never a traceback.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import time
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from .errors import EditorError

START_METHODS = ("fork", "forkserver", "spawn")
TODAY_SETTING = "SCR_TODAY"  # pretend today is another day (YYYY-MM-DD): tests, and "what falls due when?"
# One or more folder names (letters, digits, hyphens, dots, underscores), each followed by a slash.
_PREVIEW_DIR = re.compile(r"^(?:[A-Za-z0-9_][A-Za-z0-9._-]*/)+$")


@dataclass(frozen=True)
class Options:
    pdf: bool | None = None  # None: by command (on, except in `mkdocs serve`)
    pdf_cache: Path | None = None
    pdf_workers: int | None = None  # None: one per core
    pdf_start_method: str | None = None
    briefings: bool = True
    handbook: bool = True
    offline_zip: bool = False
    offline_copy: bool = False
    today: dt.date | None = None  # None: the real today, asked for when needed
    preview_dir: str = ""
    source_date: str | None = None  # e.g. "2026-01-01T00:00:00Z"
    on_github_actions: bool = False
    cms: bool = True
    cms_local_backend: str = ""  # "": the editor's default (hooks/scr/cms.py)

    @property
    def review_day(self) -> dt.date:
        return self.today or dt.date.today()

    @classmethod
    def from_environ(cls, environ: Mapping[str, str] | None = None) -> Options:
        env = os.environ if environ is None else environ

        def get(name: str) -> str:
            return (env.get(name) or "").strip()

        return cls(
            pdf=_switch(get("SCR_PDF"), "SCR_PDF", default=None),
            pdf_cache=Path(get("SCR_PDF_CACHE")) if get("SCR_PDF_CACHE") else None,
            pdf_workers=_workers(get("SCR_PDF_WORKERS")),
            pdf_start_method=_start_method(get("SCR_PDF_START_METHOD")),
            briefings=_switch(get("SCR_BRIEFINGS"), "SCR_BRIEFINGS", default=True),
            handbook=_switch(get("SCR_HANDBOOK"), "SCR_HANDBOOK", default=True),
            offline_zip=get("SCR_OFFLINE_ZIP") == "1",
            offline_copy=get("SCR_OFFLINE_COPY") == "1",
            today=_today(get(TODAY_SETTING)),
            preview_dir=_preview_dir(get("SCR_PREVIEW_DIR")),
            source_date=_source_date(get("SOURCE_DATE_EPOCH")),
            on_github_actions=get("GITHUB_ACTIONS") == "true",
            cms=_switch(get("SCR_CMS"), "SCR_CMS", default=True),
            cms_local_backend=_web_address(get("SCR_CMS_LOCAL_BACKEND"), "SCR_CMS_LOCAL_BACKEND"),
        )


def review_day(environ: Mapping[str, str] | None = None) -> dt.date:
    """Today, or the day SCR_TODAY names: for the scripts that read only this one setting (`make lint`)."""
    env = os.environ if environ is None else environ
    return _today((env.get(TODAY_SETTING) or "").strip()) or dt.date.today()


def _switch(value: str, name: str, default: bool | None) -> bool | None:
    if not value:
        return default
    if value not in ("0", "1"):
        raise EditorError(name, f"it is {value!r}.", "set it to 1 (on) or 0 (off), or leave it unset.")
    return value == "1"


def _workers(value: str) -> int | None:
    if not value:
        return None
    if not value.isdigit():
        raise EditorError("SCR_PDF_WORKERS", f"it is {value!r}.", "unset it, or set it to a whole number such as 2.")
    return int(value) or None


def _start_method(value: str) -> str | None:
    if value and value not in START_METHODS:
        raise EditorError(
            "SCR_PDF_START_METHOD", f"it is {value!r}.", f"unset it, or set it to one of {', '.join(START_METHODS)}."
        )
    return value or None


def _today(value: str) -> dt.date | None:
    if not value:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise EditorError(
            f"the {TODAY_SETTING} setting",
            f"{value!r} is not a date written as year-month-day.",
            f"write it like {TODAY_SETTING}=2027-03-31, or leave it unset to use today's date.",
        ) from None


def _preview_dir(value: str) -> str:
    if value and not _PREVIEW_DIR.match(value):
        raise EditorError(
            "SCR_PREVIEW_DIR",
            f"it is {value!r}, not a folder under the site's address.",
            "write folder names ending in a slash, such as pr-preview/pr-12/, or leave it unset.",
        )
    return value


def _web_address(value: str, name: str) -> str:
    if value and not re.match(r"^https?://[^/\s]+(/\S*)?$", value):
        raise EditorError(name, f"it is {value!r}, not a web address.", "write it like http://127.0.0.1:8081/api/v1.")
    return value


def _source_date(epoch: str) -> str | None:
    if not epoch:
        return None
    try:
        return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(int(epoch)))
    except ValueError:
        raise EditorError(
            "SOURCE_DATE_EPOCH", f"it is {epoch!r}, not a number of seconds.", "unset it, or set it to e.g. 1767225600."
        ) from None
