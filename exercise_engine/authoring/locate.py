"""Where a scenario's parts were written: ``file:line: key`` for lint's findings.

Lint speaks validate's language, so a facilitator can jump from a finding to the line. The
loaded scenario keeps every source text and the file each inject came from; the loader's own
key-line scanner turns a key path into a line.
"""

from __future__ import annotations

from exercise_engine.loading.keylines import KeyPath
from exercise_engine.loading.loaded import LoadedScenario
from exercise_engine.loading.problems import SourceFile, dotted


class Locator:
    """Answers "where is inject X / point X/Y / phase P / role R written?"."""

    def __init__(self, scenario: LoadedScenario) -> None:
        self.scenario = scenario
        self.sources = {s.name: SourceFile.of(s.name, s.text) for s in scenario.sources}
        self.main = scenario.sources[0].name if scenario.sources else ""
        self.index: dict[str, int] = {}
        per_file: dict[str, int] = {}
        for iid in scenario.injects:
            name = scenario.inject_files.get(iid, self.main)
            self.index[iid] = per_file.get(name, 0)
            per_file[name] = self.index[iid] + 1

    def _at(self, name: str, path: KeyPath) -> str:
        source = self.sources.get(name)
        line = source.lines.line_of(path) if source is not None else None
        where = f"{name}:{line}" if line is not None else name
        return f"{where}: {dotted(path)}" if path else where

    def inject_path(self, iid: str) -> tuple[str, KeyPath]:
        """The file an inject is written in and its key path there (``inject[N]``)."""
        return self.scenario.inject_files.get(iid, self.main), ("inject", self.index.get(iid, 0))

    def inject(self, iid: str) -> str:
        return self._at(*self.inject_path(iid))

    def inject_key(self, iid: str, *keys: str | int) -> str:
        """A key inside an inject: ``inject_key("bmb-03", "title")``."""
        name, path = self.inject_path(iid)
        return self._at(name, (*path, *keys))

    def point(self, iid: str, point: str, *keys: str | int) -> str:
        name, path = self.inject_path(iid)
        inject = self.scenario.injects[iid]
        d = next((n for n, p in enumerate(inject.decisions) if p.id == point), 0)
        return self._at(name, (*path, "decisions", d, *keys))

    def option(self, iid: str, point: str, option: str | None, *keys: str | int) -> str:
        """An option of a point (``option=None``: the point's ``on_expire``)."""
        spec = self.scenario.decision_point(iid, point)
        if spec is None:
            return self.inject(iid)
        if option is None:
            return self.point(iid, point, "on_expire", *keys)
        o = next((n for n, opt in enumerate(spec.options) if opt.id == option), 0)
        return self.point(iid, point, "options", o, *keys)

    def variable(self, name: str) -> str:
        return self._at(self.main, ("variables", name))

    def flag(self, name: str) -> str:
        return self._at(self.main, ("flags", name))

    def clock(self, key: str) -> str:
        return self._at(self.main, ("clock", key))

    def top(self, key: str) -> str:
        """A top-level key of the scenario file (``duration``, ``roles``)."""
        return self._at(self.main, (key,))

    def condition(self, key: str) -> str:
        """Where a compiled condition is written, from its key (``transition:N``, ``end:N``,
        ``inject:ID``); the scenario file for keys of other kinds."""
        kind, _, rest = key.partition(":")
        if kind == "transition" and rest.isdigit():
            return self._at(self.main, ("transitions", int(rest), "when"))
        if kind == "end" and rest.isdigit():
            return self._at(self.main, ("end", int(rest), "when"))
        if kind == "inject" and rest in self.scenario.injects:
            return self.inject_key(rest, "when")
        return self._at(self.main, ())

    def phase(self, pid: str) -> str:
        ids = [p.id for p in self.scenario.file.phases]
        return self._at(self.main, ("phases", ids.index(pid)) if pid in ids else ())

    def role(self, rid: str) -> str:
        roles = list(self.scenario.file.roles)
        return self._at(self.main, ("roles", roles.index(rid)) if rid in roles else ())

    def ending(self, index: int) -> str:
        return self._at(self.main, ("end", index))
