"""The validator and the decisions reader never crash: arbitrary bytes and random mutations of a
valid file (deep nesting, huge numbers, control characters, long conditions among them) always end
in problems or success, never in a traceback. Bounded: a fixed number of examples, no deadline."""

from __future__ import annotations

import io
import re
from contextlib import redirect_stderr, redirect_stdout
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from exercise_engine.cli import main
from exercise_engine.loading import LoadError, Problems, check_scenario, load_scenario
from exercise_engine.loading.playthrough import load_playthrough
from tests.conftest import REPO

SUMMARY = re.compile(
    r"(?P<verdict>ok|FAILED): 1 file\(s\) checked, (?P<errors>\d+) error\(s\), \d+ warning\(s\)"
)
TUTORIAL = (REPO / "scenarios" / "tutorial.toml").read_text(encoding="utf-8")
ROBUST = (REPO / "scenarios" / "playthroughs" / "tutorial" / "robust.toml").read_text(
    encoding="utf-8"
)
HOSTILE = [
    "x = " + "[" * 1200 + "]" * 1200,  # deeper than the TOML parser can recurse
    "y = " + "{a=" * 600 + "1" + "}" * 600,
    'when = "' + "not " * 400 + 'true"',  # deeper than the condition checker allows
    'when = "' + "-" * 400 + 'tension > 1"',
    'when = "elapsed >= 1e999"',  # a number that is infinite
    'when = "elapsed >= 1e300"',
    'when = "tension / 0 > 1"',
    'id = "a\u001b[2Jb"',  # an escape sequence in an id
    'at = "99999:00"',
    "at = 1e999",
]
SETTINGS = settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


def _check(tmp_path: Path, data: bytes) -> Problems:
    path = tmp_path / "fuzz.toml"
    path.write_bytes(data)
    problems = Problems()
    check_scenario(path, problems)
    return problems


@SETTINGS
@given(st.binary(max_size=2000))
def test_arbitrary_bytes(tmp_path: Path, data: bytes) -> None:
    problems = _check(tmp_path, data)
    assert problems.errors  # random bytes are never a valid scenario
    assert all(p.message for p in problems)


def _mutate(text: str, data: st.DataObject) -> str:
    lines = text.splitlines()
    for _ in range(data.draw(st.integers(1, 4))):
        i = data.draw(st.integers(0, len(lines) - 1))
        action = data.draw(
            st.sampled_from(["delete", "duplicate", "truncate", "swap-digit", "junk", "hostile"])
        )
        if action == "delete":
            del lines[i]
        elif action == "duplicate":
            lines.insert(i, lines[i])
        elif action == "truncate":
            lines[i] = lines[i][: data.draw(st.integers(0, max(0, len(lines[i]))))]
        elif action == "swap-digit":
            lines[i] = lines[i].replace("0", "9", 1).replace("1", "7", 1)
        elif action == "hostile":
            lines.insert(i, data.draw(st.sampled_from(HOSTILE)))
        else:
            lines[i] = data.draw(st.text(max_size=30))
        if not lines:
            lines = [""]
    return "\n".join(lines)


@SETTINGS
@given(st.data())
def test_mutations_of_a_valid_scenario(tmp_path: Path, data: st.DataObject) -> None:
    """Through the real command: exit 0 or 2 agreeing with its own verdict, one line per problem
    naming the file and, when it gives one, a line that exists (a validator never invents one)."""
    path = tmp_path / "fuzz.toml"
    data_bytes = _mutate(TUTORIAL, data).encode("utf-8", "surrogatepass")
    path.write_bytes(data_bytes)
    out, err = io.StringIO(), io.StringIO()
    with redirect_stdout(out), redirect_stderr(err):
        status = main(["validate", str(path)])
    printed = err.getvalue() + out.getvalue()  # problems on stderr, the verdict last
    assert status in (0, 2), printed
    assert "Traceback" not in printed
    *problems, summary = printed.rstrip("\n").split("\n")
    verdict = SUMMARY.fullmatch(summary)
    assert verdict is not None, summary
    errors = int(verdict["errors"])
    assert status == (2 if errors else 0)
    assert (verdict["verdict"] == "ok") == (errors == 0)
    assert len(problems) >= errors
    last_line = data_bytes.count(b"\n") + 1
    prefix = re.compile(re.escape(str(path)) + r"(?::(?P<line>\d+))?: \S")
    for problem in problems:
        found = prefix.match(problem)
        assert found is not None, f"not one line naming the file: {problem!r}"
        assert found["line"] is None or 1 <= int(found["line"]) <= last_line, problem


@SETTINGS
@given(st.data())
def test_mutations_of_a_decisions_file(tmp_path: Path, data: st.DataObject) -> None:
    path = tmp_path / "decisions.toml"
    path.write_bytes(_mutate(ROBUST, data).encode("utf-8", "surrogatepass"))
    try:
        load_playthrough(path, SCENARIO)
    except LoadError as exc:
        assert all(p.message for p in exc.problems)


SCENARIO = load_scenario(REPO / "scenarios" / "tutorial.toml")
