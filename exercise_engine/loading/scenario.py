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
    BUILTIN_NAMES,
    Condition,
    ConditionError,
    NameTable,
    compile_condition,
)
from exercise_engine.loading.catalogue import Catalogue, check_tensions, load_catalogue, load_roles
from exercise_engine.loading.keylines import KeyPath
from exercise_engine.loading.loaded import LoadedScenario, RoleInfo, SourceText
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
    ALL,
    DEFAULT_CHANNELS,
    Consideration,
    Inject,
    Role,
    ScenarioFile,
)
from exercise_engine.resources import injects_dir

_PARENT_LEVELS = 3


class _Located:
    """An inject with where it was written (file and key path), for error lines."""

    __slots__ = ("inject", "prefix", "source")

    def __init__(self, inject: Inject, source: SourceFile, prefix: KeyPath) -> None:
        self.inject = inject
        self.source = source
        self.prefix = prefix


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
    return _check(data, source, problems, base=path.resolve().parent)


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
) -> LoadedScenario | None:
    header_data = {k: v for k, v in data.items() if k != "inject"}
    header_data["inject"] = []
    try:
        header = ScenarioFile.model_validate(header_data)
    except ValidationError as exc:
        pydantic_problems(problems, source, exc, ScenarioFile)
        header = None

    located: list[_Located] = []
    inline = data.get("inject", [])
    if not isinstance(inline, list):
        problems.add(source, ("inject",), "expected [[inject]] tables")
        inline = []
    located += _validate_injects(inline, source, ("inject",), problems)

    sources = [SourceText(source.name, source.text)]
    if library_texts is not None:
        for name, text in library_texts:
            located += _library_file(name, text, problems, sources)
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
                if match in seen:
                    continue
                seen.add(match)
                loaded = load_toml(match, problems)
                if loaded is not None:
                    sources.append(SourceText(loaded[1].name, loaded[1].text))
                    located += read_library(loaded[0], loaded[1], problems)

    if header is None:
        return None
    return _cross_check(header, source, located, problems, tuple(sources))


def _library_file(
    name: str, text: str, problems: Problems, sources: list[SourceText]
) -> list[_Located]:
    parsed = parse_toml(name, text, problems)
    if parsed is None:
        return []
    sources.append(SourceText(name, text))
    return read_library(parsed[0], parsed[1], problems)


def read_library(data: dict[str, Any], source: SourceFile, problems: Problems) -> list[_Located]:
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
    return _validate_injects(entries, source, ("inject",), problems)


def _validate_injects(
    entries: list[Any], source: SourceFile, prefix: KeyPath, problems: Problems
) -> list[_Located]:
    out: list[_Located] = []
    for i, entry in enumerate(entries):
        try:
            inject = Inject.model_validate(entry)
        except ValidationError as exc:
            pydantic_problems(problems, source, exc, Inject, (*prefix, i))
            continue
        out.append(_Located(inject, source, (*prefix, i)))
    return out


# --- cross-references ---------------------------------------------------------------------------


def _cross_check(
    header: ScenarioFile,
    source: SourceFile,
    located: list[_Located],
    problems: Problems,
    sources: tuple[SourceText, ...],
) -> LoadedScenario | None:
    try:
        roles_catalogue = load_roles()
        catalogue = load_catalogue()
    except LoadError as exc:
        problems.extend(exc.problems)
        return None
    roles = _roles_in_play(header, source, roles_catalogue, problems)
    considerations = _considerations(
        header, source, catalogue, set(roles_catalogue) | set(header.custom_roles), problems
    )
    phases = [p.id for p in header.phases]
    _check_unique(phases, source, lambda i: ("phases", i, "id"), "phase", problems)
    if header.start_phase not in phases:
        problems.add(
            source,
            ("start_phase",),
            f"unknown phase {header.start_phase!r}{suggest(header.start_phase, phases)}",
        )
    _check_world(header, source, problems)

    injects: dict[str, Inject] = {}
    where: dict[str, _Located] = {}
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
        _check_inject(item, header, roles, phases, channels, injects, considerations, problems)
    _check_after_cycles(where, problems)

    names = NameTable(
        variables=header.variables,
        flags=header.flags,
        phase_ids=phases,
        inject_points={
            iid: {d.id: [o.id for o in d.options] for d in inj.decisions}
            for iid, inj in injects.items()
        },
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
    ending_ids: list[str] = []
    for i, ending in enumerate(header.end):
        ending_ids.append(ending.id or f"end-{i + 1}")
        _compile(conditions, f"end:{i}", ending.when, names, source, ("end", i, "when"), problems)
    _check_unique(ending_ids, source, lambda i: ("end", i, "id"), "ending", problems)
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

    _warnings(header, source, injects, where, roles, problems)
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
        problems.add(source, path, f"in condition {text!r}: {exc}")


def _roles_in_play(
    header: ScenarioFile, source: SourceFile, catalogue: dict[str, Role], problems: Problems
) -> dict[str, RoleInfo]:
    roles: dict[str, RoleInfo] = {}
    for cid in header.custom_roles:
        if cid in catalogue:
            problems.add(
                source,
                ("custom_roles", cid),
                f"{cid!r} is already in the roles catalogue; use it directly or choose another id",
            )
    known = set(catalogue) | set(header.custom_roles)
    for i, rid in enumerate(header.roles):
        if rid in roles:
            problems.add(source, ("roles", i), f"role {rid!r} is listed twice")
        elif rid in header.custom_roles:
            c = header.custom_roles[rid]
            roles[rid] = RoleInfo(rid, c.title, c.abbreviation or rid, c.responsibilities)
        elif rid in catalogue:
            r = catalogue[rid]
            roles[rid] = RoleInfo(rid, r.title, r.abbreviation or rid, r.responsibilities)
        else:
            problems.add(
                source,
                ("roles", i),
                f"unknown role {rid!r}{suggest(rid, known)}: use a catalogue role or declare it under [custom_roles.{rid}]",
            )
    return roles


def _considerations(
    header: ScenarioFile,
    source: SourceFile,
    catalogue: Catalogue,
    known_roles: set[str],
    problems: Problems,
) -> dict[str, Consideration]:
    merged = dict(catalogue.considerations)
    origins = dict(catalogue.origins)
    local: list[str] = []
    for i, item in enumerate(header.considerations):
        path = ("considerations", i)
        if item.id in merged:
            where = (
                "in the catalogue" if item.id in catalogue.considerations else "in this scenario"
            )
            problems.add(
                source,
                (*path, "id"),
                f"consideration {item.id!r} is already defined {where}; choose another id",
            )
            continue
        merged[item.id] = item
        origins[item.id] = (source, path)
        local.append(item.id)
        for r, role in enumerate(item.roles):
            if role not in known_roles:
                problems.add(
                    source,
                    (*path, "roles", r),
                    f"unknown role {role!r}{suggest(role, known_roles)}",
                )
    check_tensions(merged, origins, problems, symmetric=False, only=local)
    return merged


def _check_unique(
    ids: Sequence[str], source: SourceFile, path: Any, what: str, problems: Problems
) -> None:
    seen: set[str] = set()
    for i, value in enumerate(ids):
        if value in seen:
            problems.add(source, path(i), f"duplicate {what} id {value!r}")
        seen.add(value)


def _check_world(header: ScenarioFile, source: SourceFile, problems: Problems) -> None:
    for name in header.variables:
        if not name.isidentifier() or name in BUILTIN_NAMES:
            problems.add(
                source,
                ("variables", name),
                f"{name!r} cannot be a variable name: use letters, digits and '_' (not 'phase' or 'elapsed')",
            )
        if name in header.flags:
            problems.add(source, ("flags", name), f"{name!r} is both a variable and a flag")
    for name in header.flags:
        if not name.isidentifier() or name in BUILTIN_NAMES:
            problems.add(
                source,
                ("flags", name),
                f"{name!r} cannot be a flag name: use letters, digits and '_' (not 'phase' or 'elapsed')",
            )


def _check_roles(
    names: Sequence[str],
    roles: dict[str, RoleInfo],
    header: ScenarioFile,
    item: _Located,
    path: KeyPath,
    problems: Problems,
    *,
    allow_all: bool,
    key: str | None = None,
) -> None:
    """Each role id is in play; ``key`` names a single-valued key instead of list items."""
    catalogue = load_roles()
    for r, rid in enumerate(names):
        where: KeyPath = (*path, key) if key else (*path, r)
        if rid == ALL and allow_all:
            if len(names) > 1:
                problems.add(item.source, where, '"all" stands alone: write to = "all"')
            continue
        if rid in roles:
            continue
        if rid in catalogue or rid in header.custom_roles:
            problems.add(
                item.source,
                where,
                f"role {rid!r} is not in play in this scenario (roles = {list(roles)})",
            )
        else:
            problems.add(item.source, where, f"unknown role {rid!r}{suggest(rid, roles)}")


def _check_inject(
    item: _Located,
    header: ScenarioFile,
    roles: dict[str, RoleInfo],
    phases: list[str],
    channels: dict[str, str],
    injects: dict[str, Inject],
    considerations: dict[str, Consideration],
    problems: Problems,
) -> None:
    inject, src, pre = item.inject, item.source, item.prefix
    if inject.channel not in channels:
        problems.add(
            src,
            (*pre, "channel"),
            f"unknown channel {inject.channel!r}{suggest(inject.channel, channels)} (declare new ones under [channels])",
        )
    _check_roles(inject.to, roles, header, item, (*pre, "to"), problems, allow_all=True)
    variant_of: dict[str, int] = {}
    for v, variant in enumerate(inject.variants):
        _check_roles(
            variant.to, roles, header, item, (*pre, "variants", v, "to"), problems, allow_all=True
        )
        if variant.channel is not None and variant.channel not in channels:
            problems.add(
                src,
                (*pre, "variants", v, "channel"),
                f"unknown channel {variant.channel!r}{suggest(variant.channel, channels)} (declare new ones under [channels])",
            )
        for rid in variant.to:
            if rid in variant_of:
                problems.add(
                    src,
                    (*pre, "variants", v, "to"),
                    f"role {rid!r} is already in variant {variant_of[rid]}'s audience",
                )
            variant_of[rid] = v
    if not inject.to and not inject.variants:
        problems.add(
            src, (*pre, "to"), 'nobody receives this inject: list role ids or write to = "all"'
        )
    if inject.manual and (
        inject.at is not None or inject.after is not None or inject.when is not None
    ):
        problems.add(
            src,
            (*pre, "manual"),
            "a manual inject is delivered only by the facilitator: its 'at', 'after' and 'when' are ignored",
            "warning",
        )
    gated = {p.id for p in header.phases if p.gate}
    for d, point in enumerate(inject.decisions):
        if point.on_expire is not None and point.respond_within is None:
            problems.add(
                src,
                (*pre, "decisions", d, "on_expire"),
                "on_expire never applies: the decision point has no respond_within",
                "warning",
            )
        if point.respond_within is None and inject.phase in gated:
            problems.add(
                src,
                (*pre, "decisions", d),
                f"phase {inject.phase!r} is gated and this point has no respond_within: the phase waits until it is decided",
                "warning",
            )
    if inject.phase is not None and inject.phase not in phases:
        problems.add(
            src, (*pre, "phase"), f"unknown phase {inject.phase!r}{suggest(inject.phase, phases)}"
        )
    if inject.after is not None:
        target = inject.after.inject
        if target == inject.id:
            problems.add(src, (*pre, "after", "inject"), "an inject cannot follow itself")
        elif target not in injects:
            problems.add(
                src,
                (*pre, "after", "inject"),
                f"unknown inject {target!r}{suggest(target, injects)}",
            )
    receives = set(_audience(inject, roles))
    point_ids: set[str] = set()
    for d, point in enumerate(inject.decisions):
        dpath = (*pre, "decisions", d)
        if point.id in point_ids:
            problems.add(
                src, (*dpath, "id"), f"duplicate decision id {point.id!r} in inject {inject.id!r}"
            )
        point_ids.add(point.id)
        if point.role not in roles:
            _check_roles(
                [point.role], roles, header, item, dpath, problems, allow_all=False, key="role"
            )
        elif point.role not in receives:
            problems.add(
                src,
                (*dpath, "role"),
                f"the deciding role {point.role!r} does not receive inject {inject.id!r}: add it to 'to'",
            )
        _check_roles(
            point.consult, roles, header, item, (*dpath, "consult"), problems, allow_all=False
        )
        if point.role in point.consult:
            problems.add(
                src,
                (*dpath, "consult"),
                f"{point.role!r} decides this point and cannot also be consulted on it",
            )
        option_ids: set[str] = set()
        for o, option in enumerate(point.options):
            opath = (*dpath, "options", o)
            if option.id in option_ids:
                problems.add(
                    src,
                    (*opath, "id"),
                    f"duplicate option id {option.id!r} in decision {point.id!r}",
                )
            option_ids.add(option.id)
            _check_outcome(option, header, considerations, item, opath, problems)
        if point.on_expire is not None:
            _check_outcome(
                point.on_expire, header, considerations, item, (*dpath, "on_expire"), problems
            )


def _audience(inject: Inject, roles: dict[str, RoleInfo]) -> list[str]:
    wanted: set[str] = set()
    for group in (inject.to, *(v.to for v in inject.variants)):
        wanted.update(roles if ALL in group else group)
    return [r for r in roles if r in wanted]


def _check_outcome(
    outcome: Any,
    header: ScenarioFile,
    considerations: dict[str, Consideration],
    item: _Located,
    path: KeyPath,
    problems: Problems,
) -> None:
    src = item.source
    for name in outcome.effects:
        if name in header.flags:
            problems.add(
                src,
                (*path, "effects", name),
                f"{name!r} is a flag: write set = {{ {name} = true }}",
            )
        elif name not in header.variables:
            problems.add(
                src,
                (*path, "effects", name),
                f"unknown variable {name!r}{suggest(name, header.variables)}",
            )
    for name, value in outcome.set.items():
        if name in header.flags:
            if not isinstance(value, bool):
                problems.add(
                    src, (*path, "set", name), f"{name!r} is a flag: set it to true or false"
                )
        elif name in header.variables:
            var = header.variables[name]
            if isinstance(value, bool):
                problems.add(
                    src, (*path, "set", name), f"{name!r} is a variable: set it to a number"
                )
            elif not var.min <= value <= var.max:
                problems.add(
                    src,
                    (*path, "set", name),
                    f"{value:g} is outside the bounds of {name!r} ({var.min:g} to {var.max:g})",
                )
        else:
            known = [*header.flags, *header.variables]
            problems.add(
                src,
                (*path, "set", name),
                f"unknown flag or variable {name!r}{suggest(name, known)}",
            )
    for cid in outcome.evidence:
        if cid not in considerations:
            problems.add(
                src,
                (*path, "evidence", cid),
                f"unknown consideration {cid!r}{suggest(cid, considerations)}",
            )


def _check_after_cycles(where: dict[str, _Located], problems: Problems) -> None:
    following = {
        iid: item.inject.after.inject
        for iid, item in where.items()
        if item.inject.after and item.inject.after.inject != iid
    }
    reported: set[str] = set()
    for start in following:
        chain = [start]
        current = following.get(start)
        while current is not None and current in following and current not in chain:
            chain.append(current)
            current = following.get(current)
        if current is not None and current in chain and start == current:
            cycle = frozenset(chain)
            if not cycle & reported:
                reported |= cycle
                item = where[start]
                loop = " -> ".join([*chain, start])
                problems.add(
                    item.source,
                    (*item.prefix, "after", "inject"),
                    f"'after' chain loops back on itself: {loop}",
                )


def _warnings(
    header: ScenarioFile,
    source: SourceFile,
    injects: dict[str, Inject],
    where: dict[str, _Located],
    roles: dict[str, RoleInfo],
    problems: Problems,
) -> None:
    receiving: set[str] = set()
    for inject in injects.values():
        receiving.update(_audience(inject, roles))
    for i, rid in enumerate(header.roles):
        if rid in roles and rid not in receiving and injects:
            problems.add(
                source, ("roles", i), f"role {rid!r} is in play but receives no inject", "warning"
            )
    entered = {header.start_phase} | {t.to for t in header.transitions}
    for i, phase in enumerate(header.phases):
        if phase.id not in entered:
            problems.add(
                source,
                ("phases", i, "id"),
                f"phase {phase.id!r} is never entered: no transition leads to it",
                "warning",
            )
    for iid, item in where.items():
        for d, point in enumerate(item.inject.decisions):
            for o, option in enumerate(point.options):
                if not option.evidence:
                    problems.add(
                        item.source,
                        (*item.prefix, "decisions", d, "options", o),
                        f"option {option.id!r} has no evidence: the after-action cannot score it",
                        "warning",
                    )
        del iid
