"""The validator never crashes: arbitrary bytes and random mutations of a valid scenario always
end in problems or success, never in a traceback."""

from __future__ import annotations

from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from exercise_engine.loading import Problems, check_scenario
from tests.conftest import REPO

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
    _check(tmp_path, "\n".join(lines).encode("utf-8", "surrogatepass"))
