"""The Jinja environment for everything the hook renders (templates in hooks/templates/)."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import jinja2

TEMPLATE_DIR = Path(__file__).resolve().parent.parent / "templates"


def uk_date(value) -> str:
    """26 November 2026: the date style GOV.UK uses."""
    return f"{value.day} {value:%B %Y}"


def table_cell(value) -> str:
    """Text for a cell of a Markdown table: a `|` would end the cell, so it is escaped."""
    return " ".join(str(value).split()).replace("|", "\\|")


@lru_cache(maxsize=1)
def environment() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATE_DIR),
        autoescape=jinja2.select_autoescape(["html", "svg"]),
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters["uk_date"] = uk_date
    env.filters["table_cell"] = table_cell
    return env


def render(name: str, **context) -> str:
    return environment().get_template(name).render(**context)
