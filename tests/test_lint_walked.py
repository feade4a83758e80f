"""An ending that only a well-played path reaches is not "never reached" when lint samples.

Past ``--max-runs`` paths lint samples the tree; the depth-first walk it tried first has already
played complete runs, and an ending one of them reached is reachable (issue 12: MINUSCA's
line-held was reported as never reached although robust.toml reaches it).
"""

from __future__ import annotations

from pathlib import Path

from exercise_engine.authoring.lint import lint_scenario
from tests.engine_helpers import decision, inject, scenario_from

OPTIONS = """
[[inject.decisions.options]]
id = "yes"
label = "Yes"
set = { warned = true }
evidence = { "crisis.timely-decision" = 1 }

[[inject.decisions.options]]
id = "no"
label = "No"
evidence = { "crisis.timely-decision" = -1 }

[[inject.decisions.options]]
id = "later"
label = "Later"
evidence = { "crisis.timely-decision" = -1 }
"""

ENDS = """
[[end]]
id = "all-yes"
when = "elapsed >= '01:00' and chose('a', 'yes') and chose('b', 'yes') and chose('c', 'yes') and chose('d', 'yes')"
[[end]]
id = "other"
when = "elapsed >= '01:00'"
"""


def test_an_ending_reached_by_a_walked_path_is_not_reported_as_unreached(tmp_path: Path) -> None:
    body = ENDS
    for n, iid in enumerate("abcd"):
        body += inject(iid, f'at = "00:{10 + n * 10:02d}"') + decision(
            window='"00:05"', options=OPTIONS
        )
    report = lint_scenario(scenario_from(tmp_path, body), max_runs=5)
    reached = {r.ending for r in report.exploration.runs}
    assert "all-yes" not in reached  # the sample misses it (4^4 paths, 5 runs) ...
    assert not [f for f in report.findings if f.kind == "ending"]  # ... the walk did not
