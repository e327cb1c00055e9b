"""The documented GitHub Actions workflow and pre-commit hook agree with the README and the CLI."""
from __future__ import annotations

import re
import shlex
from typing import Any

import pytest
import yaml

from checker.cli import build_parser
from tests.conftest import ROOT

WORKFLOW = ROOT / "docs" / "github-actions.yml"
README = ROOT / "README.md"


@pytest.fixture(scope="module")
def workflow() -> dict[Any, Any]:
    data = yaml.safe_load(WORKFLOW.read_text(encoding="utf-8"))
    assert isinstance(data, dict)
    return data


@pytest.fixture(scope="module")
def steps(workflow: dict[Any, Any]) -> list[dict[str, Any]]:
    (job,) = workflow["jobs"].values()
    return list(job["steps"])


def section(title: str) -> str:
    text = README.read_text(encoding="utf-8")
    match = re.search(rf"^## {re.escape(title)}\n(.*?)(?=^## |\Z)", text, re.MULTILINE | re.DOTALL)
    assert match, f"README has no '{title}' section"
    return match.group(1)


def ci_section() -> str:
    return section("In CI and pre-commit")


def run_commands(steps: list[dict[str, Any]]) -> list[str]:
    return [line.strip() for step in steps if "run" in step for line in step["run"].splitlines() if line.strip()]


def test_workflow_is_a_valid_github_workflow(workflow: dict[Any, Any], steps: list[dict[str, Any]]) -> None:
    # YAML 1.1 reads the key 'on' as True; GitHub reads it as 'on'.
    triggers = workflow.get("on", workflow.get(True))
    assert "pull_request" in triggers
    assert workflow["permissions"]["security-events"] == "write", "upload-sarif needs security-events: write"
    (job,) = workflow["jobs"].values()
    assert job["runs-on"]
    assert all(("run" in s) != ("uses" in s) for s in steps), "each step either runs or uses"
    assert any(s.get("uses", "").startswith("actions/checkout@") for s in steps)


def test_workflow_uploads_the_sarif_it_writes(steps: list[dict[str, Any]]) -> None:
    check = [c for c in run_commands(steps) if c.startswith("copydesk check")]
    assert len(check) == 1
    args = build_parser().parse_args(shlex.split(check[0])[1:])
    assert args.format == "github", "annotations need --format github"
    sarif = [o.split(":", 1)[1] for o in args.output if o.startswith("sarif:")]
    assert sarif, "the check writes SARIF with --output sarif:PATH"
    (upload,) = [s for s in steps if s.get("uses", "").startswith("github/codeql-action/upload-sarif@")]
    assert upload["with"]["sarif_file"] == sarif[0]
    assert "always()" in upload.get("if", ""), "the upload runs when the check fails too"
    index = steps.index(upload)
    assert any("copydesk check" in s.get("run", "") for s in steps[:index]), "upload after the check"


def test_readme_documents_the_workflow_commands(steps: list[dict[str, Any]]) -> None:
    section = ci_section()
    assert "docs/github-actions.yml" in section
    assert "github/codeql-action/upload-sarif" in section
    for command in run_commands(steps):
        assert command in section, f"README does not show the workflow's command: {command}"


def test_pre_commit_hook_definition() -> None:
    (hook,) = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    assert hook["id"] == "copydesk" and hook["language"] == "python"
    assert hook["entry"] == "copydesk check"
    assert set(hook["types_or"]) == {"markdown", "html", "text"}
    args = build_parser().parse_args([*shlex.split(hook["entry"])[1:], "story.md"])
    assert args.command == "check" and args.paths == ["story.md"]
    pattern = re.compile(hook["files"])
    for name, is_article in [("a.md", True), ("desk/b.html", True), ("c.txt", True), ("d.htm", True),
                             ("e.markdown", True), ("copydesk.yaml", False), ("setup.py", False),
                             (".pre-commit-config.yaml", False)]:
        assert bool(pattern.search(name)) is is_article, name


def test_readme_pre_commit_snippet_uses_the_hook() -> None:
    blocks = re.findall(r"```yaml\n(.*?)```", ci_section(), re.DOTALL)
    configs = [yaml.safe_load(b) for b in blocks]
    hooks = [h["id"] for c in configs if isinstance(c, dict) for r in c.get("repos", []) for h in r["hooks"]]
    assert hooks == ["copydesk"]


def test_readme_adoption_commands_parse() -> None:
    text = section("Adopting copydesk in an existing archive")
    commands = [line.split("#")[0].strip() for line in text.splitlines() if line.startswith("copydesk ")]
    for needed in ("copydesk init", "--write-baseline", "--baseline"):
        assert any(needed in c for c in commands), needed
    for command in commands:
        build_parser().parse_args(shlex.split(command)[1:])  # exits 2 on an unknown option
