"""Cross-reference checks of a scenario: roles in play, ids, audiences, effects, evidence, cycles.

Called by :mod:`exercise_engine.loading.scenario` once every file has its structure validated.
Each check records problems with the file and key path they concern; none raises.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from collections.abc import Set as AbstractSet
from typing import Any

from exercise_engine.conditions import BUILTIN_NAMES, Condition
from exercise_engine.loading.catalogue import Catalogue, check_tensions, load_roles
from exercise_engine.loading.indicators import check_indicators
from exercise_engine.loading.keylines import KeyPath
from exercise_engine.loading.loaded import RoleInfo
from exercise_engine.loading.problems import Problems, SourceFile, suggest
from exercise_engine.model import ALL, Consideration, DecisionPoint, Inject, Role, ScenarioFile
from exercise_engine.model.capabilities import CORE_CAPABILITIES
from exercise_engine.safe_text import is_printable, printable


class Located:
    """An inject with where it was written (file and key path), for error lines."""

    __slots__ = ("inject", "prefix", "source")

    def __init__(self, inject: Inject, source: SourceFile, prefix: KeyPath) -> None:
        self.inject = inject
        self.source = source
        self.prefix = prefix


def roles_in_play(
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


def merge_considerations(
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
    check_indicators(((merged[cid], *origins[cid]) for cid in local), problems)
    return merged


def check_ids_printable(
    header: ScenarioFile, located: Sequence[Located], source: SourceFile, problems: Problems
) -> None:
    """Refuse control characters in every id: ids are printed by the consoles, the command line
    and the reports, and an escape sequence in one would reach a terminal."""

    def check(src: SourceFile, path: KeyPath, value: str) -> None:
        if not is_printable(value) or any(ch.isspace() and ch != " " for ch in value):
            problems.add(
                src,
                path,
                f"the id '{printable(value)}' holds a control character: use letters, digits,"
                " '-' and '_'",
            )

    check(source, ("id",), header.id)
    for i, phase in enumerate(header.phases):
        check(source, ("phases", i, "id"), phase.id)
    for i, ending in enumerate(header.end):
        if ending.id:
            check(source, ("end", i, "id"), ending.id)
    for rid in header.custom_roles:
        check(source, ("custom_roles", rid), rid)
    for i, item in enumerate(header.considerations):
        check(source, ("considerations", i, "id"), item.id)
    for located_inject in located:
        inject, src, pre = located_inject.inject, located_inject.source, located_inject.prefix
        check(src, (*pre, "id"), inject.id)
        for d, point in enumerate(inject.decisions):
            check(src, (*pre, "decisions", d, "id"), point.id)
            for o, option in enumerate(point.options):
                check(src, (*pre, "decisions", d, "options", o, "id"), option.id)


def check_unique(
    ids: Sequence[str], source: SourceFile, path: Any, what: str, problems: Problems
) -> None:
    seen: set[str] = set()
    for i, value in enumerate(ids):
        if value in seen:
            problems.add(source, path(i), f"duplicate {what} id {value!r}")
        seen.add(value)


def check_world(header: ScenarioFile, source: SourceFile, problems: Problems) -> None:
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


def check_roles(
    names: Sequence[str],
    roles: dict[str, RoleInfo],
    header: ScenarioFile,
    item: Located,
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


def check_inject(
    item: Located,
    header: ScenarioFile,
    roles: dict[str, RoleInfo],
    phases: list[str],
    channels: dict[str, str],
    injects: dict[str, Inject],
    considerations: dict[str, Consideration],
    problems: Problems,
    broken: AbstractSet[str] = frozenset(),
) -> None:
    """Check one inject's references; ``broken`` holds ids of injects already reported as
    invalid, which are not reported again as unknown (a knock-on of the same mistake)."""
    inject, src, pre = item.inject, item.source, item.prefix
    if inject.channel not in channels:
        problems.add(
            src,
            (*pre, "channel"),
            f"unknown channel {inject.channel!r}{suggest(inject.channel, channels)} (declare new ones under [channels])",
        )
    check_roles(inject.to, roles, header, item, (*pre, "to"), problems, allow_all=True)
    variant_of: dict[str, int] = {}
    for v, variant in enumerate(inject.variants):
        check_roles(
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
        elif target not in injects and target not in broken:
            problems.add(
                src,
                (*pre, "after", "inject"),
                f"unknown inject {target!r}{suggest(target, injects)}",
            )
    receives = set(audience(inject, roles))
    point_ids: set[str] = set()
    for d, point in enumerate(inject.decisions):
        dpath = (*pre, "decisions", d)
        if point.id in point_ids:
            problems.add(
                src, (*dpath, "id"), f"duplicate decision id {point.id!r} in inject {inject.id!r}"
            )
        point_ids.add(point.id)
        if point.role not in roles:
            check_roles(
                [point.role], roles, header, item, dpath, problems, allow_all=False, key="role"
            )
        elif point.role not in receives:
            problems.add(
                src,
                (*dpath, "role"),
                f"the deciding role {point.role!r} does not receive inject {inject.id!r}: add it to 'to'",
            )
        check_roles(
            point.consult, roles, header, item, (*dpath, "consult"), problems, allow_all=False
        )
        if point.role in point.consult:
            problems.add(
                src,
                (*dpath, "consult"),
                f"{point.role!r} decides this point and cannot also be consulted on it",
            )
        for c, cid in enumerate(point.considerations):
            if cid not in considerations:
                problems.add(
                    src,
                    (*dpath, "considerations", c),
                    f"unknown consideration {cid!r}{suggest(cid, considerations)}",
                )
        check_breaches(point, item, dpath, problems)
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
            check_outcome(option, header, considerations, item, opath, problems)
        if point.on_expire is not None:
            check_outcome(
                point.on_expire, header, considerations, item, (*dpath, "on_expire"), problems
            )


def check_breaches(point: DecisionPoint, item: Located, dpath: KeyPath, problems: Problems) -> None:
    """A breaching option should not also be the point's best by evidence: say so to the author."""
    sound = [sum(o.evidence.values()) for o in point.options if o.breach is None]
    for o, option in enumerate(point.options):
        if option.breach is not None and sound and sum(option.evidence.values()) > max(sound):
            problems.add(
                item.source,
                (*dpath, "options", o, "breach"),
                f"option {option.id!r} breaks a rule yet its evidence is the best at this point: "
                "the after-action treats the best option without a breach as the benchmark",
                "warning",
            )


def check_objectives(
    header: ScenarioFile,
    source: SourceFile,
    injects: dict[str, Inject],
    considerations: dict[str, Consideration],
    problems: Problems,
    broken: Collection[str] = (),
) -> None:
    """Objective ids unique; their considerations and ``inject/point`` keys exist (a key whose
    inject has errors of its own is not reported again)."""
    points = [f"{iid}/{d.id}" for iid, inj in injects.items() for d in inj.decisions]
    known_points = set(points)
    seen: set[str] = set()
    for i, objective in enumerate(header.objectives):
        path = ("objectives", i)
        if objective.id in seen:
            problems.add(source, (*path, "id"), f"duplicate objective id {objective.id!r}")
        seen.add(objective.id)
        for c, cid in enumerate(objective.considerations):
            if cid not in considerations:
                problems.add(
                    source,
                    (*path, "considerations", c),
                    f"unknown consideration {cid!r}{suggest(cid, considerations)}",
                )
        for k, key in enumerate(objective.points):
            if "/" not in key:
                problems.add(
                    source,
                    (*path, "points", k),
                    f'expected "inject/point", got {key!r}{suggest(key, points)}',
                )
            elif key not in known_points and key.split("/", 1)[0] not in broken:
                problems.add(
                    source,
                    (*path, "points", k),
                    f"unknown decision point {key!r}{suggest(key, points)}",
                )
        if not objective.considerations and not objective.points:
            problems.add(
                source,
                path,
                f"objective {objective.id!r} names no considerations and no points: nothing can evidence it",
                "warning",
            )
        cap = objective.capability
        if cap is not None and cap not in CORE_CAPABILITIES:
            problems.add(
                source,
                (*path, "capability"),
                f"{cap!r} is not an HSEEP core capability{suggest(cap, CORE_CAPABILITIES)}",
                "warning",
            )


def audience(inject: Inject, roles: dict[str, RoleInfo]) -> list[str]:
    wanted: set[str] = set()
    for group in (inject.to, *(v.to for v in inject.variants)):
        wanted.update(roles if ALL in group else group)
    return [r for r in roles if r in wanted]


def check_outcome(
    outcome: Any,
    header: ScenarioFile,
    considerations: dict[str, Consideration],
    item: Located,
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


def check_after_cycles(where: dict[str, Located], problems: Problems) -> None:
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


def check_transition_loops(
    header: ScenarioFile,
    conditions: dict[str, Condition],
    source: SourceFile,
    problems: Problems,
) -> None:
    """Phases that lead back to themselves through transitions that always hold.

    Such a loop never settles: at the moment play enters it the engine would change phase
    forever. Only transitions whose condition is true in every state (``when = "true"``) count;
    a loop through a real condition is the scenario's business.
    """
    always: dict[str, list[tuple[int, str]]] = {}
    for i, transition in enumerate(header.transitions):
        compiled = conditions.get(f"transition:{i}")
        if compiled is not None and compiled.always:
            always.setdefault(transition.from_, []).append((i, transition.to))
    reported: set[frozenset[str]] = set()
    for start in always:
        # follow the first always-true way out of each phase, as the phase machine would
        path: list[str] = [start]
        closing: int | None = None
        current = start
        while current in always:
            index, dest = always[current][0]
            if dest in path:
                path = path[path.index(dest) :]
                path.append(dest)
                closing = index
                break
            path.append(dest)
            current = dest
        if closing is None:
            continue
        loop = frozenset(path)
        if loop in reported:
            continue
        reported.add(loop)
        problems.add(
            source,
            ("transitions", closing, "when"),
            f"phases loop with no condition to stop them: {' -> '.join(path)} (every 'when' on"
            " the way is always true, so play would change phase forever)",
        )


def add_warnings(
    header: ScenarioFile,
    source: SourceFile,
    injects: dict[str, Inject],
    where: dict[str, Located],
    roles: dict[str, RoleInfo],
    problems: Problems,
) -> None:
    receiving: set[str] = set()
    for inject in injects.values():
        receiving.update(audience(inject, roles))
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
