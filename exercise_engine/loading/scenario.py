"""Load a scenario: TOML -> models -> cross-references -> compiled conditions.

Called by every command that opens a scenario (``validate``, ``run``, ``play``, ``lint``). Each
step records problems rather than raising, so a facilitator sees every mistake in one run; only
at the end does :func:`load_scenario` raise :class:`LoadError` when there are errors.

Inject library patterns (``injects = ["injects/x/*.toml"]``) are resolved relative to the scenario
file's folder; when nothing matches there, each parent folder is tried in turn (so a scenario in
``scenarios/`` finds the repository's ``injects/``), and last the bundled library.
"""

from __future__ import annotations

import glob
import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from exercise_engine.conditions import (
    Condition,
    ConditionError,
    NameTable,
    compile_condition,
)
from exercise_engine.loading.catalogue import load_catalogue, load_roles
from exercise_engine.loading.crossrefs import (
    Located,
    add_warnings,
    check_after_cycles,
    check_ids_printable,
    check_inject,
    check_objectives,
    check_transition_loops,
    check_unique,
    check_world,
    merge_considerations,
    roles_in_play,
)
from exercise_engine.loading.keylines import KeyPath
from exercise_engine.loading.loaded import LoadedScenario, SourceText
from exercise_engine.loading.problems import (
    LoadError,
    Problems,
    SourceFile,
    display_name,
    pydantic_problems,
    suggest,
)
from exercise_engine.loading.tomlfile import load_toml, parse_toml
from exercise_engine.model import (
    DEFAULT_CHANNELS,
    Inject,
    ScenarioFile,
)
from exercise_engine.resources import injects_dir

_PARENT_LEVELS = 3


def load_scenario(path: Path | str) -> LoadedScenario:
    """Load and validate a scenario file; raise LoadError listing every problem."""
    problems = Problems()
    scenario = check_scenario(Path(path), problems)
    if scenario is None or problems.errors:
        raise LoadError(problems)
    return scenario


def load_snapshot(snapshot: str) -> LoadedScenario:
    """Rebuild a scenario from the source texts a journal stored (no files needed)."""
    problems = Problems()
    files = json.loads(snapshot)
    main = files[0]
    parsed = parse_toml(main["name"], main["text"], problems)
    library: list[tuple[str, str]] = [(f["name"], f["text"]) for f in files[1:]]
    scenario = None
    if parsed is not None:
        data, source = parsed
        scenario = _check(data, source, problems, library_texts=library)
    if scenario is None or problems.errors:
        raise LoadError(problems)
    return scenario


def check_scenario(path: Path, problems: Problems) -> LoadedScenario | None:
    """Load ``path`` recording every problem; the scenario when it is usable, else None."""
    loaded = load_toml(path, problems)
    if loaded is None:
        return None
    data, source = loaded
    return _check(data, source, problems, base=path.resolve().parent, itself=path.resolve())


def resolve_library(pattern: str, base: Path) -> tuple[list[Path], list[Path]]:
    """Files matching ``pattern``, searched from ``base`` upwards then in the bundled library.

    Returns the matches and the folders that were searched (for the error message).
    """
    roots = [base, *list(base.parents)[:_PARENT_LEVELS], injects_dir().parent]
    searched: list[Path] = []
    for root in roots:
        if root in searched:
            continue
        searched.append(root)
        full = Path(pattern) if Path(pattern).is_absolute() else root / pattern
        matches = sorted(Path(p) for p in glob.glob(str(full), recursive=True) if Path(p).is_file())
        if matches:
            return matches, searched
    return [], searched


def _check(
    data: dict[str, Any],
    source: SourceFile,
    problems: Problems,
    *,
    base: Path | None = None,
    library_texts: Sequence[tuple[str, str]] | None = None,
    itself: Path | None = None,
) -> LoadedScenario | None:
    header_data = {k: v for k, v in data.items() if k != "inject"}
    header_data["inject"] = []
    try:
        header = ScenarioFile.model_validate(header_data)
    except ValidationError as exc:
        pydantic_problems(problems, source, exc, ScenarioFile)
        header = None

    located: list[Located] = []
    inline = data.get("inject", [])
    if not isinstance(inline, list):
        problems.add(source, ("inject",), "expected [[inject]] tables")
        inline = []
    broken: set[str] = set()  # ids of injects that did not validate: not "unknown" elsewhere
    located += _validate_injects(inline, source, ("inject",), problems, broken)

    sources = [SourceText(source.name, source.text)]
    if library_texts is not None:
        for name, text in library_texts:
            located += _library_file(name, text, problems, sources, broken)
    elif header is not None and base is not None:
        seen: set[Path] = set()
        for p, pattern in enumerate(header.injects):
            matches, searched = resolve_library(pattern, base)
            if not matches:
                where = ", ".join(display_name(s) for s in searched)
                problems.add(
                    source, ("injects", p), f"no inject files match {pattern!r} (looked in {where})"
                )
            for match in matches:
                if match in seen or match.resolve() == itself:
                    continue  # a pattern like "*.toml" also matches the scenario file itself
                seen.add(match)
                loaded = load_toml(match, problems)
                if loaded is not None:
                    sources.append(SourceText(loaded[1].name, loaded[1].text))
                    located += read_library(loaded[0], loaded[1], problems, broken)

    if header is None:
        return None
    return _cross_check(header, source, located, problems, tuple(sources), broken)


def _library_file(
    name: str, text: str, problems: Problems, sources: list[SourceText], broken: set[str]
) -> list[Located]:
    parsed = parse_toml(name, text, problems)
    if parsed is None:
        return []
    sources.append(SourceText(name, text))
    return read_library(parsed[0], parsed[1], problems, broken)


def read_library(
    data: dict[str, Any],
    source: SourceFile,
    problems: Problems,
    broken: set[str] | None = None,
) -> list[Located]:
    for key in sorted(set(data) - {"inject"}):
        problems.add(
            source,
            (key,),
            f"unknown key {key!r}{suggest(key, ['inject'])}: an inject library file holds [[inject]] tables only",
        )
    entries = data.get("inject", [])
    if not isinstance(entries, list):
        problems.add(source, ("inject",), "expected [[inject]] tables")
        return []
    if not entries:
        problems.add(source, (), "no [[inject]] tables in this file", "warning")
    return _validate_injects(entries, source, ("inject",), problems, broken)


def _validate_injects(
    entries: list[Any],
    source: SourceFile,
    prefix: KeyPath,
    problems: Problems,
    broken: set[str] | None = None,
) -> list[Located]:
    out: list[Located] = []
    for i, entry in enumerate(entries):
        try:
            inject = Inject.model_validate(entry)
        except ValidationError as exc:
            pydantic_problems(problems, source, exc, Inject, (*prefix, i))
            if broken is not None and isinstance(entry, dict) and isinstance(entry.get("id"), str):
                broken.add(entry["id"])
            continue
        out.append(Located(inject, source, (*prefix, i)))
    return out


# --- cross-references ---------------------------------------------------------------------------


def _cross_check(
    header: ScenarioFile,
    source: SourceFile,
    located: list[Located],
    problems: Problems,
    sources: tuple[SourceText, ...],
    broken: set[str],
) -> LoadedScenario | None:
    try:
        roles_catalogue = load_roles()
        catalogue = load_catalogue()
    except LoadError as exc:
        problems.extend(exc.problems)
        return None
    check_ids_printable(header, located, source, problems)
    roles = roles_in_play(header, source, roles_catalogue, problems)
    considerations = merge_considerations(
        header, source, catalogue, set(roles_catalogue) | set(header.custom_roles), problems
    )
    phases = [p.id for p in header.phases]
    check_unique(phases, source, lambda i: ("phases", i, "id"), "phase", problems)
    if header.start_phase not in phases:
        problems.add(
            source,
            ("start_phase",),
            f"unknown phase {header.start_phase!r}{suggest(header.start_phase, phases)}",
        )
    check_world(header, source, problems)

    injects: dict[str, Inject] = {}
    where: dict[str, Located] = {}
    for item in located:
        iid = item.inject.id
        if iid in where:
            first = where[iid]
            line = first.source.lines.line_of(first.prefix)
            at = f"{first.source.name}:{line}" if line else first.source.name
            problems.add(
                item.source,
                (*item.prefix, "id"),
                f"duplicate inject id {iid!r} (first defined at {at})",
            )
            continue
        injects[iid] = item.inject
        where[iid] = item

    channels = {**DEFAULT_CHANNELS, **header.channels}
    for item in where.values():
        check_inject(
            item, header, roles, phases, channels, injects, considerations, problems, broken
        )
    check_after_cycles(where, problems)
    check_objectives(header, source, injects, considerations, problems, broken)

    names = NameTable(
        variables=header.variables,
        flags=header.flags,
        phase_ids=phases,
        inject_points={
            iid: {d.id: [o.id for o in d.options] for d in inj.decisions}
            for iid, inj in injects.items()
        },
        unchecked=frozenset(broken - set(injects)),
    )
    conditions: dict[str, Condition] = {}
    for i, transition in enumerate(header.transitions):
        for key, value in (("from", transition.from_), ("to", transition.to)):
            if value not in phases:
                problems.add(
                    source,
                    ("transitions", i, key),
                    f"unknown phase {value!r}{suggest(value, phases)}",
                )
        _compile(
            conditions,
            f"transition:{i}",
            transition.when,
            names,
            source,
            ("transitions", i, "when"),
            problems,
        )
    check_transition_loops(header, conditions, source, problems)
    ending_ids: list[str] = []
    for i, ending in enumerate(header.end):
        ending_ids.append(ending.id or f"end-{i + 1}")
        _compile(conditions, f"end:{i}", ending.when, names, source, ("end", i, "when"), problems)
    check_unique(ending_ids, source, lambda i: ("end", i, "id"), "ending", problems)
    if not header.end:
        problems.add(
            source,
            (),
            "no [[end]] condition: the exercise ends only when the facilitator ends it",
            "warning",
        )
    for iid, item in where.items():
        if item.inject.when is not None:
            _compile(
                conditions,
                f"inject:{iid}",
                item.inject.when,
                names,
                item.source,
                (*item.prefix, "when"),
                problems,
            )
            compiled = conditions.get(f"inject:{iid}")
            if compiled is not None and iid in compiled.injects:
                problems.add(
                    item.source,
                    (*item.prefix, "when"),
                    f"the condition waits on inject {iid!r} itself, so it can never be delivered",
                )

    add_warnings(header, source, injects, where, roles, problems)
    if problems.errors:
        return None
    return LoadedScenario(
        file=header,
        injects=injects,
        roles=roles,
        considerations=considerations,
        conditions=conditions,
        sources=sources,
        inject_files={iid: item.source.name for iid, item in where.items()},
    )


def _compile(
    into: dict[str, Condition],
    key: str,
    text: str,
    names: NameTable,
    source: SourceFile,
    path: KeyPath,
    problems: Problems,
) -> None:
    try:
        into[key] = compile_condition(text, names)
    except ConditionError as exc:
        problems.add(source, path, f"in condition {_quote(text)}: {exc}")
        return
    for warning in into[key].warnings:
        problems.add(source, path, f"in condition {_quote(text)}: {warning}", "warning")


def _quote(text: str) -> str:
    """The condition as written, cut short when it is long (a message stays one readable line)."""
    return repr(text) if len(text) <= 80 else repr(text[:60]) + f" ... ({len(text)} characters)"
