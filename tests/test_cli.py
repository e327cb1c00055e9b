"""The command line as users and CI meet it: exit codes, the JSON contract, bad input."""
from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest

from checker.cli import main
from tests.conftest import ROOT, SEEDS, run_cli

CLEAN = "Storm hits coast\n\nThe storm reached the coast on Monday, officials said.\n\nResidents were told to stay indoors.\n"
FURNITURE = CLEAN + "\nSee also: Ten tips for surviving a storm\n"


def run(capsys, *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out = capsys.readouterr()
    return code, out.out, out.err


@pytest.fixture()
def articles(tmp_path: Path) -> Path:
    (tmp_path / "copydesk.yaml").write_text("disable: [names, dates, coherence, stylesheet]\n")
    (tmp_path / "clean.txt").write_text(CLEAN)
    (tmp_path / "furniture.txt").write_text(FURNITURE)
    return tmp_path


def test_exit_0_when_clean(capsys, articles) -> None:
    code, out, _ = run(capsys, "check", str(articles / "clean.txt"))
    assert code == 0
    assert "0 findings" in out


def test_exit_1_on_findings_and_fail_on(capsys, articles) -> None:
    path = str(articles / "furniture.txt")
    assert run(capsys, "check", path)[0] == 1
    assert run(capsys, "check", "--fail-on", "error", path)[0] == 0
    assert run(capsys, "check", "--fail-on", "never", path)[0] == 0
    assert run(capsys, "check", "--fail-on", "info", path)[0] == 1


def test_exit_2_on_usage_errors(capsys) -> None:
    with pytest.raises(SystemExit) as info:
        main(["check", "--format", "yaml", "x.txt"])
    assert info.value.code == 2
    with pytest.raises(SystemExit) as info:
        main(["check"])
    assert info.value.code == 2
    assert main([]) == 2


def test_text_output_points_at_the_line(capsys, articles) -> None:
    code, out, _ = run(capsys, "check", str(articles / "furniture.txt"))
    lines = out.splitlines()
    head = next(line for line in lines if "boilerplate.see_also" in line)
    assert head.startswith(f"{articles / 'furniture.txt'}:7:1: warning boilerplate.see_also ")
    excerpt = lines[lines.index(head) + 1]
    caret = lines[lines.index(head) + 2]
    assert excerpt.strip() == "See also: Ten tips for surviving a storm"
    assert caret.strip() == "^" * len("See also: Ten tips for surviving a storm")
    assert "\033[" not in out  # no colour when not a terminal


def test_json_contract_on_the_seed(capsys) -> None:
    code, out, _ = run(capsys, "check", "--format", "json", "--fail-on", "never", str(SEEDS / "pentagon-talks.txt"))
    data = json.loads(out)
    assert code == 0 and data["version"] == 1 and data["errors"] == []
    (file,) = data["files"]
    text = (SEEDS / "pentagon-talks.txt").read_text(encoding="utf-8")
    keys = {"rule", "category", "severity", "start", "end", "line", "column", "end_line", "end_column",
            "text", "suggestion", "message", "related"}
    for f in file["findings"]:
        assert keys <= set(f)
        assert text[f["start"]:f["end"]] == f["text"]
        assert f["category"] in {"name", "date", "non-sequitur", "boilerplate", "style-sheet", "other"}
        assert f["severity"] in {"error", "warning", "info"}
        for rel in f["related"]:
            assert text[rel["start"]:rel["end"]] == rel["text"]
    boiler = [f["text"] for f in file["findings"] if f["category"] == "boilerplate"]
    assert boiler == ["Complete News World", "See also\u00a0 US warns China: Leave Philippine ships alone"]


def test_bad_inputs_are_listed_and_the_rest_is_checked(capsys, articles) -> None:
    (articles / "binary.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00")
    (articles / "empty.md").write_text("")
    (articles / "latin.txt").write_bytes("Caf\xe9 owner\n\nSee also: Caf\xe9 guide\n".encode("latin-1"))
    (articles / "utf16.txt").write_bytes("\ufeffSee also: the guide\n".encode("utf-16-le").replace(b"\xff\xfe\xff\xfe", b"\xff\xfe"))
    code, out, err = run(capsys, "check", "--format", "json", str(articles), str(articles / "missing.txt"))
    data = json.loads(out)
    errors = {Path(e["path"]).name: e["message"] for e in data["errors"]}
    assert code == 2
    assert errors["binary.txt"].startswith("binary file")
    assert errors["empty.md"].startswith("empty file")
    assert errors["missing.txt"] == "no such file or directory"
    checked = {Path(f["path"]).name: f for f in data["files"]}
    assert {"clean.txt", "furniture.txt", "latin.txt", "utf16.txt"} <= set(checked)
    assert checked["latin.txt"]["warnings"][0].startswith("not UTF-8")
    latin = [f for f in checked["latin.txt"]["findings"] if f["rule"] == "boilerplate.see_also"]
    assert latin and latin[0]["text"] == "See also: Café guide"
    assert any("binary.txt" in line and "binary file" in line for line in err.splitlines())


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads files whatever their mode")
def test_unreadable_file(capsys, articles) -> None:
    path = articles / "secret.txt"
    path.write_text(CLEAN)
    path.chmod(0)
    code, out, _ = run(capsys, "check", "--format", "json", str(path))
    assert code == 2 and "permission denied" in json.loads(out)["errors"][0]["message"]


def test_unreadable_file_when_running_as_root(capsys, articles, monkeypatch) -> None:
    # CI runs as root, for whom a mode-0 file is readable; make the OS refuse the read instead.
    import builtins

    real_open = builtins.open
    target = str(articles / "secret.txt")

    def refusing_open(file, *args, **kwargs):  # type: ignore[no-untyped-def]
        if str(file) == target:
            raise PermissionError(13, "Permission denied", target)
        return real_open(file, *args, **kwargs)

    (articles / "secret.txt").write_text(CLEAN)
    monkeypatch.setattr(builtins, "open", refusing_open)
    code, out, _ = run(capsys, "check", "--format", "json", target, str(articles / "clean.txt"))
    data = json.loads(out)
    assert code == 2
    assert data["errors"] == [{"path": target, "message": "permission denied: cannot read the file"}]
    assert [Path(f["path"]).name for f in data["files"]] == ["clean.txt"]


def test_broken_symlink_is_reported(capsys, articles) -> None:
    (articles / "gone.txt").symlink_to(articles / "nowhere.txt")
    code, out, _ = run(capsys, "check", "--format", "json", str(articles / "gone.txt"))
    assert code == 2 and json.loads(out)["errors"][0]["message"] == "no such file or directory"


@pytest.mark.parametrize(
    ("pack", "expected"),
    [
        ("rules: [\n", "house.yaml:2: invalid YAML"),
        ("rules:\n  - id: house.x\n    type: magic\n", "house.yaml:3: 'type' unknown rule type 'magic'"),
        ("rules:\n  - id: house.x\n    type: existence\n    patterns: ['a(']\n", "house.yaml:4: 'patterns' has an invalid regular expression"),
    ],
)
def test_broken_rule_pack_exits_2_with_one_line(capsys, tmp_path, pack: str, expected: str) -> None:
    (tmp_path / "house.yaml").write_text(pack)
    (tmp_path / "copydesk.yaml").write_text("rules: [house.yaml]\n")
    (tmp_path / "a.txt").write_text(CLEAN)
    code, out, err = run(capsys, "check", str(tmp_path / "a.txt"))
    assert code == 2
    # A configuration found beside the files is the files' error (issue 13: a broken one in one
    # folder must not stop the others): one line naming the file and the pack's place.
    (line,) = [x for x in out.splitlines() if "error:" in x]
    assert line.startswith(f"{tmp_path / 'a.txt'}: error: configuration error: ") and expected in line
    assert "Traceback" not in err and "Traceback" not in out


def test_nothing_is_written_into_articles(capsys, articles) -> None:
    before = {p.name: p.read_bytes() for p in articles.iterdir()}
    mtimes = {p.name: p.stat().st_mtime_ns for p in articles.iterdir()}
    run(capsys, "check", "--format", "json", str(articles))
    assert {p.name: p.read_bytes() for p in articles.iterdir() if p.name in before} == before
    assert {p.name: p.stat().st_mtime_ns for p in articles.iterdir() if p.name in mtimes} == mtimes


def test_rules_and_explain(capsys) -> None:
    code, out, _ = run(capsys, "rules")
    assert code == 0 and "boilerplate.see_also" in out
    code, out, _ = run(capsys, "explain", "boilerplate.see_also")
    assert code == 0 and ("link box" in out.lower() or "See also" in out)
    code, _, err = run(capsys, "explain", "boilerplate.see_als")
    assert code == 2 and "did you mean 'boilerplate.see_also'" in err


def test_explain_lists_options_with_the_values_in_force(capsys, tmp_path) -> None:
    code, out, _ = run(capsys, "explain", "coherence.non_sequitur")
    assert code == 0
    assert "  method = 'lexical' (one of lexical, semantic)" in out
    assert "  min_z = 3.0" in out and "how far the sentence must stand out" in out
    # The configuration's value, not the pack's default, is what the rule runs with.
    config = tmp_path / "copydesk.yaml"
    config.write_text("options:\n  coherence.non_sequitur: {method: semantic, min_z: 2.5}\n")
    code, out, _ = run(capsys, "explain", "coherence.non_sequitur", "--config", str(config))
    assert code == 0 and "  method = 'semantic'" in out and "  min_z = 2.5" in out


def test_python_dash_m_and_missing_model(tmp_path) -> None:
    proc = run_cli("--version")
    assert proc.returncode == 0 and proc.stdout.startswith("copydesk ")
    # A sentence-scoped rule makes sure the pipeline is needed whatever else is enabled.
    (tmp_path / "p.yaml").write_text("rules:\n  - id: house.x\n    type: existence\n    scope: sentence\n    tokens: [zzz]\n")
    (tmp_path / "copydesk.yaml").write_text("model: no_such_pipeline_xyz\nrules: [p.yaml]\n")
    (tmp_path / "a.txt").write_text(CLEAN)
    proc = run_cli("check", str(tmp_path / "a.txt"))
    assert proc.returncode == 2
    # The configured name is the one to blame, not a missing default pipeline (issue 13).
    assert proc.stderr.count("\n") == 1 and "'no_such_pipeline_xyz' named by 'model:'" in proc.stderr
    assert "no English spaCy pipeline is installed" not in proc.stderr and "Traceback" not in proc.stderr


def test_console_script_is_installed() -> None:
    assert shutil.which("copydesk") or (ROOT / ".venv" / "bin" / "copydesk").exists()


def test_command_flushes_everything_and_a_closed_pipe_is_not_an_error(tmp_path) -> None:
    # The command leaves with os._exit after flushing (no teardown of the loaded model):
    # a report larger than a pipe buffer must arrive whole, and a reader that stops early
    # (copydesk check | head) must not cause a traceback.
    import subprocess
    import sys

    for i in range(400):
        (tmp_path / f"story-{i:03d}-with-a-long-file-name-for-a-long-report.txt").write_text(CLEAN, encoding="utf-8")
    args = [sys.executable, "-m", "checker", "check", "--no-cache", "--format", "json", str(tmp_path)]
    whole = subprocess.run(args, capture_output=True, text=True, timeout=300)
    assert whole.returncode in (0, 1) and len(whole.stdout) > 65536
    assert len(json.loads(whole.stdout)["files"]) == 400
    with subprocess.Popen(args, stdout=subprocess.PIPE, stderr=subprocess.PIPE) as proc:
        assert proc.stdout is not None and proc.stderr is not None
        proc.stdout.read(10)
        proc.stdout.close()
        err = proc.stderr.read().decode()
        code = proc.wait(timeout=300)
    assert "Traceback" not in err and code in (0, 1), err
