"""The key-line scanner: every key path maps to the line it is written on, or to an ancestor's."""

from __future__ import annotations

import pytest

from exercise_engine.loading.keylines import KeyLines

TEXT = '''id = "x"                          # 1
[clock]                           # 2
start = "2014-10-07T05:00"        # 3
[variables.civilian_risk]         # 4
label = "a"                       # 5
[[inject]]                        # 6
id = "a"                          # 7
body = """                        # 8
[not.a.table]
"""                               # 10
to = [                            # 11
  "hom",                          # 12
]                                 # 13
after = { inject = "b", delay = "00:05" }   # 14
[[inject.decisions]]              # 15
id = "d"                          # 16
[[inject.decisions.options]]      # 17
id = "o"                          # 18
evidence = { "uof.proportionate" = 2 }      # 19
[inject.decisions.on_expire]      # 20
effects = {}                      # 21
[[inject.decisions]]              # 22
"quoted key" = 1                  # 23
[[inject]]                        # 24
id = "b"                          # 25
dotted.key.here = true            # 26
'''


@pytest.mark.parametrize(
    ("path", "line"),
    [
        (("id",), 1),  # a top-level key
        (("clock", "start"), 3),  # a key in a table
        (("variables", "civilian_risk", "label"), 5),  # a dotted table header
        (("variables", "civilian_risk"), 4),  # the table itself
        (("inject", 0), 6),  # the first array-of-tables element
        (("inject", 0, "to", 1), 11),  # inside a multi-line array: the key's line
        (("inject", 0, "after", "delay"), 14),  # inside an inline table: the key's line
        (("inject", 0, "decisions", 0, "options", 0, "evidence", "uof.proportionate"), 19),
        (("inject", 0, "decisions", 0, "on_expire", "effects"), 21),  # a sub-table of an element
        (("inject", 0, "decisions", 1, "quoted key"), 23),  # a quoted key
        (("inject", 1, "id"), 25),  # the second element
        (("inject", 1, "dotted", "key", "here"), 26),  # a dotted key
        (("inject", 0, "decisions", 1, "missing"), 22),  # not written: the nearest ancestor
        (("nowhere",), None),  # nothing to point at: no invented line
    ],
)
def test_line_of(path: tuple[str | int, ...], line: int | None) -> None:
    assert KeyLines(TEXT).line_of(path) == line


def test_multiline_string_content_is_not_read_as_tables() -> None:
    lines = KeyLines(TEXT)
    assert lines.line_of(("not", "a", "table")) is None
    assert lines.line_of(("inject", 0, "to")) == 11
