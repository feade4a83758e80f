"""Generate large synthetic scenarios for the benchmarks (not content: load only)."""

from __future__ import annotations

from pathlib import Path

ROLES = [
    "hom",
    "dsrsg_pol",
    "dsrsg_rchc",
    "force_commander",
    "police_commissioner",
    "dms",
    "chief_of_staff",
]


def big_scenario(folder: Path, injects: int = 1000, decisions: int = 300) -> Path:
    """A scenario with ``injects`` injects (every ``injects // decisions``-th carries a point)."""
    folder.mkdir(parents=True, exist_ok=True)
    step = max(1, injects // decisions)
    end_hours = max(40, injects * 2 // 60 + 2)  # 40:00 up to 1,000 injects; after the last beyond
    parts = [
        'id = "big"\ntitle = "Big"\nroles = '
        + repr(ROLES).replace("'", '"')
        + '\nstart_phase = "one"\n',
        '[clock]\nstart = "2014-10-07T05:00"\nspeed = 60\n',
        '[variables.risk]\nlabel = "Risk"\ninitial = 50\n',
        "[flags]\nwarned = false\n",
        '[[phases]]\nid = "one"\ntitle = "One"\n[[phases]]\nid = "two"\ntitle = "Two"\n',
        '[[transitions]]\nfrom = "one"\nto = "two"\nwhen = "elapsed >= \'10:00\'"\n',
        f'[[end]]\nid = "done"\nwhen = "elapsed >= \'{end_hours:02d}:00\'"\n',
    ]
    made = 0
    for n in range(injects):
        role = ROLES[n % len(ROLES)]
        minutes = n * 2
        trigger = f'at = "{minutes // 60:02d}:{minutes % 60:02d}"'
        if n % 50 == 49:
            trigger = f'after = {{ inject = "i-{n - 1}", delay = "00:01" }}'
        parts.append(
            f'[[inject]]\nid = "i-{n}"\ntitle = "Inject {n}"\n{trigger}\nchannel = "report"\n'
            f'sender = "JOC"\nto = ["{role}", "hom"]\nbody = "Body {n}."\n'
        )
        if n % step == 0 and made < decisions:
            made += 1
            parts.append(
                f'[[inject.decisions]]\nid = "d"\nrole = "{role}"\nprompt = "?"\nrespond_within = "00:30"\n'
                f'consult = ["chief_of_staff"]\n'
                if role != "chief_of_staff"
                else f'[[inject.decisions]]\nid = "d"\nrole = "{role}"\nprompt = "?"\nrespond_within = "00:30"\n'
            )
            parts.append(
                '[[inject.decisions.options]]\nid = "a"\nlabel = "A"\neffects = { risk = -1 }\n'
                'evidence = { "crisis.timely-decision" = 1 }\n'
                '[[inject.decisions.options]]\nid = "b"\nlabel = "B"\neffects = { risk = 1 }\n'
                'set = { warned = true }\nevidence = { "crisis.timely-decision" = -1 }\n'
                "[inject.decisions.on_expire]\neffects = { risk = 2 }\n"
            )
    path = folder / "big.toml"
    path.write_text("\n".join(parts), encoding="utf-8")
    return path


def big_playthrough(folder: Path, scenario: Path) -> Path:
    """A decisions file for a generated scenario: every other point decided a minute after it
    opens (alternating options, each with a rationale); the rest are left to expire."""
    import tomllib

    data = tomllib.loads(scenario.read_text(encoding="utf-8"))
    due: dict[str, int] = {}
    rows: list[str] = ['title = "Every other point"\n']
    for n, inject in enumerate(data["inject"]):
        if "at" in inject:
            h, m = inject["at"].split(":")
            due[inject["id"]] = int(h) * 60 + int(m)
        else:
            due[inject["id"]] = due[inject["after"]["inject"]] + 1
        for point in inject.get("decisions", []):
            if n % 2:
                continue
            at = due[inject["id"]] + 1
            option = "a" if n % 4 == 0 else "b"
            rows.append(
                f'[[decision]]\nat = "{at // 60:02d}:{at % 60:02d}"\nrole = "{point["role"]}"\n'
                f'inject = "{inject["id"]}"\ndecision = "{point["id"]}"\noption = "{option}"\n'
                'rationale = "Decided a minute after it opened, on the evidence to hand."\n'
            )
    path = folder / "big-decisions.toml"
    path.write_text("\n".join(rows), encoding="utf-8")
    return path
