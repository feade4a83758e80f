"""The validator never crashes: arbitrary bytes and random mutations of a valid scenario always
end in problems or success, never in a traceback.

The mutations go through the real command (``exercise-engine validate``, in-process for speed: a
crash escapes ``main`` as an exception and fails the test): it must exit 0 or 2, agree with its own
summary line, and print each problem as one line naming the file and, when it gives one, a line
that exists in the file (a validator never invents a line number).
"""

from __future__ import annotations

import io
import re
from contextlib import redirect_stderr, redirect_stdout
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from exercise_engine.cli import main
from exercise_engine.loading import Problems, check_scenario
from tests.conftest import REPO

SUMMARY = re.compile(
    r"(?P<verdict>ok|FAILED): 1 file\(s\) checked, (?P<errors>\d+) error\(s\), \d+ warning\(s\)"
)
TUTORIAL = (REPO / "scenarios" / "tutorial.toml").read_text(encoding="utf-8")
SETTINGS = settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
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


@SETTINGS
@given(st.data())
def test_mutations_of_a_valid_scenario(tmp_path: Path, data: st.DataObject) -> None:
    lines = TUTORIAL.splitlines()
    for _ in range(data.draw(st.integers(1, 4))):
        i = data.draw(st.integers(0, len(lines) - 1))
        action = data.draw(
            st.sampled_from(["delete", "duplicate", "truncate", "swap-digit", "junk"])
        )
        if action == "delete":
            del lines[i]
        elif action == "duplicate":
            lines.insert(i, lines[i])
        elif action == "truncate":
            lines[i] = lines[i][: data.draw(st.integers(0, max(0, len(lines[i]))))]
        elif action == "swap-digit":
            lines[i] = lines[i].replace("0", "9", 1).replace("1", "7", 1)
        else:
            lines[i] = data.draw(st.text(max_size=30))
        if not lines:
            lines = [""]
    path = tmp_path / "fuzz.toml"
    data_bytes = "\n".join(lines).encode("utf-8", "surrogatepass")
    path.write_bytes(data_bytes)
    out, err = io.StringIO(), io.StringIO()
    with redirect_stdout(out), redirect_stderr(err):
        status = main(["validate", str(path)])
    printed = out.getvalue()
    assert status in (0, 2), printed + err.getvalue()
    assert "Traceback" not in printed + err.getvalue()
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
