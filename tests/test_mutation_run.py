"""The weekly mutation run (scripts/mutation_run.py) can still break what it means to break.

The run itself is slow (a build or a browser for many breaks) and runs weekly in CI and with `make mutation`.
Here, in seconds: each break's text is still in the code, once, so a change to the code that moves it fails
here, in the pull request, rather than in next week's run; and the workflow runs it.
"""

from __future__ import annotations

import importlib.util
import sys

import pytest
import yaml
from conftest import ROOT

_spec = importlib.util.spec_from_file_location("mutation_run", ROOT / "scripts" / "mutation_run.py")
mutation_run = importlib.util.module_from_spec(_spec)
sys.modules["mutation_run"] = mutation_run  # dataclasses look their module up while the class is made
_spec.loader.exec_module(mutation_run)


@pytest.mark.parametrize("mutant", mutation_run.MUTANTS, ids=lambda m: m.name)
def test_each_break_still_applies_to_the_code_once(mutant, tmp_path):
    text = (ROOT / mutant.path).read_text(encoding="utf-8")
    for old, new in mutant.edits:
        assert text.count(old) == 1, f"{mutant.name}: update its text, {old!r}, to the code in {mutant.path}"
        assert old != new
    assert all((ROOT / test).is_file() for test in mutant.tests if test.startswith("tests/")), mutant.tests
    copy = tmp_path / "project"
    (copy / mutant.path).parent.mkdir(parents=True)
    (copy / mutant.path).write_text(text, encoding="utf-8")
    mutation_run.apply(copy, mutant)
    assert (copy / mutant.path).read_text(encoding="utf-8") != text


def test_the_names_are_unique_and_the_workflow_runs_it_weekly():
    names = [mutant.name for mutant in mutation_run.MUTANTS]
    assert len(names) == len(set(names))
    workflow = yaml.safe_load((ROOT / ".github/workflows/mutation.yml").read_text(encoding="utf-8"))
    triggers = workflow.get("on", workflow.get(True))
    assert "schedule" in triggers
    runs = [step.get("run") for job in workflow["jobs"].values() for step in job["steps"]]
    assert "make mutation" in runs
    assert "scripts/mutation_run.py" in (ROOT / "Makefile").read_text(encoding="utf-8")
