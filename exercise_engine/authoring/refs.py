"""What a compiled condition refers to: the injects, decision points and options it names.

The flow graph draws "where each choice leads" from these references, and lint names the inject
an unreachable inject waits on. Read from the checked AST the loader already built, so there is
one parser of the condition language, not two.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass

from exercise_engine.conditions import FUNCTIONS, Condition


@dataclass(frozen=True)
class Ref:
    """One call of a condition function: ``chose('bmb-02', 'declare')`` and the like."""

    function: str
    """``delivered``, ``decided``, ``chose`` or ``expired``."""
    inject: str
    """The inject named by the call."""
    arg: str | None = None
    """The decision point (``decided``, ``expired``) or option (``chose``), if given."""

    def label(self) -> str:
        """Short words for an edge label: ``chose declare``, ``decided line``, ``delivered``."""
        return f"{self.function} {self.arg}" if self.arg else self.function


def condition_refs(condition: Condition) -> list[Ref]:
    """Every function call in ``condition``, in reading order, without repeats."""
    refs: list[Ref] = []
    for node in ast.walk(condition.tree):
        if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Name)):
            continue
        if node.func.id not in FUNCTIONS:
            continue
        args = [a.value for a in node.args if isinstance(a, ast.Constant)]
        if not args or not all(isinstance(a, str) for a in args):
            continue
        ref = Ref(node.func.id, str(args[0]), str(args[1]) if len(args) > 1 else None)
        if ref not in refs:
            refs.append(ref)
    return refs


def condition_phases(condition: Condition) -> list[str]:
    """Phases the condition requires with ``phase == '...'`` (for drawing endings)."""
    phases: list[str] = []
    for node in ast.walk(condition.tree):
        if not isinstance(node, ast.Compare):
            continue
        operands = [node.left, *node.comparators]
        if not any(isinstance(o, ast.Name) and o.id == "phase" for o in operands):
            continue
        if not all(isinstance(op, ast.Eq) for op in node.ops):
            continue
        for operand in operands:
            value = operand.value if isinstance(operand, ast.Constant) else None
            if isinstance(value, str) and value not in phases:
                phases.append(value)
    return phases


def condition_names(condition: Condition) -> list[str]:
    """Variables and flags the condition reads (``phase`` and ``elapsed`` left out)."""
    names: list[str] = []
    for node in ast.walk(condition.tree):
        skip = ("phase", "elapsed", *FUNCTIONS, *names)
        if isinstance(node, ast.Name) and node.id not in skip:
            names.append(node.id)
    return names
