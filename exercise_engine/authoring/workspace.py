"""A scenario's inject files opened for editing: check a change, keep it, write it back.

The inject editor (``exercise_engine.ui.author``) is a thin screen over this class. It holds each
file's TOML tables as tomllib read them; a changed inject replaces its table, and only the files
that hold changed injects are ever written (with ``tomli-w``), the others stay byte for byte as
the facilitator left them.

Every change is checked before it is kept: the scenario is loaded in memory, from the files' texts
with the change in place, by the same loader ``validate`` uses, so the editor's messages are
``validate``'s messages. A change that breaks anything (its own fields, or another inject that
refers to it) is refused, so the workspace always holds a scenario that loads; saving loads the
written files once more from disk and puts the old texts back if that ever fails.

New injects go to the file of the inject selected when they are created (beside their
neighbours), or to the scenario file itself (inline ``[[inject]]`` tables) when there is none.
"""

from __future__ import annotations

import copy
import json
import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from exercise_engine.authoring.tomlout import dumps
from exercise_engine.loading import (
    LoadedScenario,
    LoadError,
    Problems,
    check_scenario,
    load_snapshot,
)
from exercise_engine.loading.problems import Problem, display_name
from exercise_engine.loading.scenario import resolve_library

_INJECT_KEY = re.compile(r"^inject\[(\d+)\]\.?(.*)$")


@dataclass(frozen=True)
class FieldProblem:
    """A problem with one key of the edited table (``at``, ``decisions[0].role``, ``""``)."""

    key: str
    message: str
    severity: str = "error"


@dataclass
class Checked:
    """What the loader says about a candidate: its own keys' problems, and anything else."""

    own: list[FieldProblem] = field(default_factory=list)
    other: list[str] = field(default_factory=list)
    """Problems elsewhere the change causes (another inject that refers to it, ...)."""

    @property
    def ok(self) -> bool:
        return not any(p.severity == "error" for p in self.own) and not self.other


@dataclass
class Slot:
    """One inject as written: the file it lives in and its ``[[inject]]`` table."""

    file: Path
    data: dict[str, Any]

    @property
    def id(self) -> str:
        return str(self.data.get("id", ""))


class Workspace:
    """The editable injects of one scenario, file by file."""

    def __init__(
        self, path: Path, files: dict[Path, dict[str, Any]], texts: dict[Path, str]
    ) -> None:
        self.path = path
        self.files = files
        """Each file's TOML data (the scenario file first), as read or as edited."""
        self.texts = texts
        """Each file's text on disk."""
        self.dirty: set[Path] = set()
        self.scenario = self._load(self._snapshot(self.files))

    @classmethod
    def open(cls, path: Path) -> Workspace:
        """Open a scenario that loads (LoadError otherwise) and every inject file it reads."""
        problems = Problems()
        scenario = check_scenario(path, problems)
        if scenario is None or problems.errors:
            raise LoadError(problems)
        paths = [path]
        for pattern in scenario.file.injects:
            matches, _searched = resolve_library(pattern, path.resolve().parent)
            paths += [m for m in matches if m not in paths]
        texts = {p: p.read_text(encoding="utf-8-sig") for p in paths}
        files = {p: tomllib.loads(t) for p, t in texts.items()}
        return cls(path, files, texts)

    # --- reading ------------------------------------------------------------------------------

    def _injects_of(self, files: dict[Path, dict[str, Any]], path: Path) -> list[dict[str, Any]]:
        entries = files[path].setdefault("inject", [])
        assert isinstance(entries, list)
        return entries

    def slots(self) -> list[Slot]:
        """Every inject in load order: the scenario file's own, then each library file's."""
        return [Slot(p, d) for p in self.files for d in self._injects_of(self.files, p)]

    def slot(self, iid: str) -> Slot | None:
        return next((s for s in self.slots() if s.id == iid), None)

    def ids(self) -> list[str]:
        return [s.id for s in self.slots()]

    def name(self, path: Path) -> str:
        return display_name(path)

    # --- checking -----------------------------------------------------------------------------

    def _text(self, files: dict[Path, dict[str, Any]], path: Path, changed: set[Path]) -> str:
        if path not in changed:
            return self.texts[path]
        data = files[path]
        if path == self.path:
            table = {k: v for k, v in data.items() if k != "inject" or v}
            return dumps(table)
        return dumps({"inject": data.get("inject", [])})

    def _snapshot(self, files: dict[Path, dict[str, Any]], changed: set[Path] | None = None) -> str:
        changed = self.dirty if changed is None else changed
        return json.dumps(
            [{"name": self.name(p), "text": self._text(files, p, changed)} for p in files]
        )

    def _load(self, snapshot: str) -> LoadedScenario:
        return load_snapshot(snapshot)

    def _with(
        self, candidate: dict[str, Any] | None, replacing: str | None, file: Path
    ) -> tuple[dict[Path, dict[str, Any]], int]:
        """A copy of the files with ``candidate`` in place; and its index in its file."""
        files = copy.deepcopy(self.files)
        index = -1
        if replacing is not None:
            for path in files:
                entries = self._injects_of(files, path)
                for n, entry in enumerate(entries):
                    if entry.get("id") == replacing:
                        if candidate is None:
                            del entries[n]
                        else:
                            entries[n] = candidate
                        return files, n if candidate is not None else -1
        if candidate is not None:
            entries = self._injects_of(files, file)
            entries.append(candidate)
            index = len(entries) - 1
        return files, index

    def check(
        self,
        candidate: dict[str, Any] | None,
        *,
        replacing: str | None = None,
        file: Path | None = None,
    ) -> Checked:
        """What the loader says if ``candidate`` replaced ``replacing`` (or joined ``file``).

        ``candidate`` None checks deleting ``replacing``.
        """
        home = self._home(replacing, file)
        files, index = self._with(candidate, replacing, home)
        changed = self.dirty | {home}
        checked = Checked()
        try:
            self._load(self._snapshot(files, changed))
        except LoadError as exc:
            name = self.name(home)
            for problem in exc.problems:
                match = _INJECT_KEY.match(problem.key)
                if problem.file == name and match and int(match[1]) == index:
                    checked.own.append(FieldProblem(match[2], problem.message, problem.severity))
                elif problem.severity == "error":
                    checked.other.append(self._elsewhere(problem, files, changed))
        return checked

    def _elsewhere(
        self, problem: Problem, files: dict[Path, dict[str, Any]], changed: set[Path]
    ) -> str:
        match = _INJECT_KEY.match(problem.key)
        for path in files:
            if self.name(path) == problem.file and match:
                entries = self._injects_of(files, path)
                n = int(match[1])
                if n < len(entries):
                    return f"inject {entries[n].get('id')!r}: {match[2] or 'inject'}: {problem.message}"
        return (
            str(problem) if problem.file not in {self.name(p) for p in changed} else problem.message
        )

    def _home(self, replacing: str | None, file: Path | None) -> Path:
        if replacing is not None:
            slot = self.slot(replacing)
            if slot is not None:
                return slot.file
        return file if file is not None else self.path

    # --- changing -----------------------------------------------------------------------------

    def put(
        self, candidate: dict[str, Any], *, replacing: str | None = None, file: Path | None = None
    ) -> Checked:
        """Keep ``candidate`` (an edit of ``replacing``, or a new inject in ``file``) if it loads."""
        checked = self.check(candidate, replacing=replacing, file=file)
        if checked.ok:
            home = self._home(replacing, file)
            self.files, _index = self._with(candidate, replacing, home)
            self.dirty.add(home)
            self.scenario = self._load(self._snapshot(self.files))
        return checked

    def delete(self, iid: str) -> Checked:
        """Remove inject ``iid`` unless another part of the scenario still refers to it."""
        checked = self.check(None, replacing=iid)
        if checked.ok:
            home = self._home(iid, None)
            self.files, _index = self._with(None, iid, home)
            self.dirty.add(home)
            self.scenario = self._load(self._snapshot(self.files))
        return checked

    def save(self) -> tuple[bool, list[str]]:
        """Write the changed files and load them again from disk: (ok, problems found).

        When the files on disk do not load, the previous texts are written back.
        """
        if not self.dirty:
            return True, []
        new = {p: self._text(self.files, p, self.dirty) for p in self.dirty}
        old = {p: self.texts[p] for p in self.dirty}
        for path, text in new.items():
            path.write_text(text, encoding="utf-8")
        problems = Problems()
        scenario = check_scenario(self.path, problems)
        if scenario is None or problems.errors:
            for path, text in old.items():
                path.write_text(text, encoding="utf-8")
            return False, [str(p) for p in problems.errors]
        self.texts.update(new)
        self.dirty.clear()
        self.scenario = scenario
        return True, [str(p) for p in problems.warnings]

    def written(self) -> list[Path]:
        """The files a save would write (those holding changed injects)."""
        return [p for p in self.files if p in self.dirty]
