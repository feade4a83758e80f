"""The malformed-file corpus: every mistake a facilitator makes gets one precise line and exit 2.

Each file in ``tests/malformed/`` is a small scenario with one mistake; its first line says what
the facilitator must see (``# expect: {file}:LINE: key: message``). The files with no such line
(empty, binary) are checked by name below.
"""

from __future__ import annotations

import io
from contextlib import redirect_stderr, redirect_stdout
from pathlib import Path

import pytest

from exercise_engine.cli import main
from tests.conftest import REPO, run_cli

CORPUS = REPO / "tests" / "malformed"
EXPECTING = sorted(p for p in CORPUS.glob("*.toml") if p.read_bytes().startswith(b"# expect:"))


def _validate(path: Path) -> tuple[int, str]:
    out, err = io.StringIO(), io.StringIO()
    with redirect_stdout(out), redirect_stderr(err):
        code = main(["validate", str(path.relative_to(REPO))])
    return code, out.getvalue() + err.getvalue()


def test_corpus_is_large_enough() -> None:
    assert len(list(CORPUS.glob("*.toml"))) >= 25


@pytest.mark.parametrize("path", EXPECTING, ids=lambda p: p.stem)
def test_each_mistake_is_reported_with_file_line_and_message(
    path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(REPO)
    name = str(path.relative_to(REPO))
    expected = path.read_text().splitlines()[0].removeprefix("# expect: ").replace("{file}", name)
    code, output = _validate(path)
    assert code == 2
    assert any(line.startswith(expected) for line in output.splitlines()), output
    assert "Traceback" not in output


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("empty.toml", "the file is empty"),  # zero bytes
        ("whitespace-only.toml", "the file is empty"),  # blank lines only
        ("binary.toml", "not a text file (it looks binary); expected TOML"),  # NUL bytes
    ],
)
def test_unusable_files(name: str, message: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(REPO)
    code, output = _validate(CORPUS / name)
    assert code == 2
    assert f"tests/malformed/{name}: {message}" in output


def test_all_problems_reported_at_once(tmp_path: Path) -> None:
    """Mistakes in an inject and in the scenario header both appear in one run."""
    text = (CORPUS / "unknown-channel.toml").read_text()
    text = text.replace('to = "two"', 'to = "tow"')
    bad = tmp_path / "two.toml"
    bad.write_text(text)
    result = run_cli("validate", str(bad))
    assert result.returncode == 2
    assert "unknown channel 'jocs-flash'" in result.stderr
    assert "unknown phase 'tow' (did you mean 'two'?)" in result.stderr
    assert result.stdout == ""  # errors go to stderr, nothing else is printed


def test_real_cli_exit_codes(tmp_path: Path) -> None:
    ok = run_cli("validate", "scenarios/tutorial.toml")
    assert ok.returncode == 0, ok.stdout + ok.stderr
    assert ok.stdout.strip().endswith("0 error(s), 0 warning(s)")
    bad = run_cli("validate", "tests/malformed/toml-syntax.toml")
    assert bad.returncode == 2
    assert "Traceback" not in bad.stderr
    missing = run_cli("validate", str(tmp_path / "nope.toml"))
    assert missing.returncode == 2
    assert "no such file or folder" in missing.stderr


def test_a_bundled_scenario_id_is_validated_like_a_path() -> None:
    result = run_cli("validate", "minusca-bambari")
    assert result.returncode == 0, result.stderr
    assert "ok: 1 file(s) checked, 0 error(s)" in result.stdout
    unknown = run_cli("validate", "minusca-bambar")
    assert unknown.returncode == 2
    assert "minusca-bambar: no such file or folder" in unknown.stderr


def test_an_empty_folder_is_a_warning_not_a_silent_ok(tmp_path: Path) -> None:
    result = run_cli("validate", str(tmp_path))
    assert result.returncode == 0
    assert "no .toml files in this folder: nothing was checked" in result.stderr
    assert "ok: 0 file(s) checked, 0 error(s), 1 warning(s)" in result.stdout


def test_a_catch_all_library_pattern_skips_the_scenario_itself(tmp_path: Path) -> None:
    text = (REPO / "scenarios" / "tutorial.toml").read_text()
    (tmp_path / "s.toml").write_text(
        text.replace('start_phase = "rumour"', 'start_phase = "rumour"\ninjects = ["*.toml"]')
    )
    (tmp_path / "extra.toml").write_text(
        '[[inject]]\nid = "x-1"\ntitle = "X"\nat = "00:03"\nchannel = "phone"\nsender = "x"\nto = "all"\nbody = "b"\n'
    )
    result = run_cli("validate", str(tmp_path))
    assert result.returncode == 0, result.stderr
    assert "2 file(s) checked, 0 error(s)" in result.stdout


def test_a_knock_on_error_is_not_reported_after_its_root(tmp_path: Path) -> None:
    """An inject that does not validate is not also "unknown" where a condition or an 'after'
    names it: the facilitator fixes the root and the rest goes away."""
    text = (CORPUS / "transition-unknown-phase.toml").read_text().split("\n", 1)[1]
    text = text.replace('to = "tow"', 'to = "two"')
    text = text.replace("when = \"elapsed >= '00:30'\"", "when = \"decided('a-01')\"")
    text = text.replace('body = "Something happens."', "body = 3")  # the root mistake
    text += '\n[[inject]]\nid = "a-02"\ntitle = "T"\nafter = { inject = "a-01", delay = "00:05" }\n'
    text += 'channel = "phone"\nsender = "x"\nto = "all"\nbody = "b"\n'
    bad = tmp_path / "knock.toml"
    bad.write_text(text)
    result = run_cli("validate", str(bad))
    assert result.returncode == 2
    assert "inject[0].body: expected a string" in result.stderr
    assert "unknown inject" not in result.stderr, result.stderr
    assert "1 error(s)" in result.stderr
