"""The condition language of transitions, endings and conditional injects (DESIGN §3).

Conditions are small boolean expressions over the world state::

    civilian_risk >= 70 or elapsed >= '02:00'
    red_line_declared and not chose('bmb-02', 'stay-silent')

They are compiled once at load time: the text is parsed into a Python AST, checked against a
whitelist of node kinds, every name and function argument is resolved against the scenario, and
``'HH:MM'`` literals become seconds. Evaluation goes through ``simpleeval`` — never ``eval``.
Compilation also records every ``elapsed`` threshold, so the engine knows the exact exercise
times at which a condition's truth can change without polling second by second.

A condition is bounded before it is parsed (length, nesting depth, size of numbers), so hostile
or mistaken text is refused with a message instead of exhausting the parser's stack or memory;
and evaluation turns an arithmetic failure at run time (a division by a variable that reached 0)
into :class:`ConditionFailed`, which the engine reports with the condition's place.
"""

from __future__ import annotations

import ast
import difflib
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any, Protocol

from simpleeval import SimpleEval

from exercise_engine.errors import ExerciseError
from exercise_engine.model.times import DURATION_PATTERN, parse_duration

MAX_CHARS = 2000
"""The longest condition accepted (far beyond any a facilitator writes)."""

MAX_DEPTH = 50
"""The deepest nesting accepted (``not``, signs, brackets and chained arithmetic)."""

MAX_NUMBER = 1e12
"""The largest number a condition may hold: beyond it ``elapsed`` thresholds stop being times."""

FUNCTIONS = {
    "delivered": (1, 1),
    "decided": (1, 2),
    "chose": (2, 2),
    "expired": (1, 2),
}
"""Function name to (fewest, most) arguments."""

BUILTIN_NAMES = ("phase", "elapsed", "true", "false", "True", "False")

_ALLOWED_NODES = (
    ast.Expression,
    ast.BoolOp,
    ast.And,
    ast.Or,
    ast.UnaryOp,
    ast.Not,
    ast.USub,
    ast.UAdd,
    ast.Compare,
    ast.Eq,
    ast.NotEq,
    ast.Lt,
    ast.LtE,
    ast.Gt,
    ast.GtE,
    ast.BinOp,
    ast.Add,
    ast.Sub,
    ast.Mult,
    ast.Div,
    ast.Name,
    ast.Load,
    ast.Constant,
    ast.Call,
)


class ConditionError(ValueError):
    """A condition that cannot be compiled; the message is for a facilitator."""


class ConditionFailed(ExerciseError):
    """A compiled condition that could not be evaluated in some state (e.g. a division by 0)."""


@dataclass(frozen=True)
class NameTable:
    """What the compiler needs to know about a scenario to resolve names."""

    variables: Mapping[str, object]
    flags: Mapping[str, object]
    phase_ids: Iterable[str]
    inject_points: Mapping[str, Mapping[str, Iterable[str]]]
    """Inject id to {decision point id: option ids}."""
    unchecked: frozenset[str] = frozenset()
    """Ids of injects that did not load (already reported): references to them are not
    reported again as unknown."""


@dataclass(frozen=True)
class Condition:
    """A compiled condition: the original text, a checked AST and what it depends on."""

    text: str
    tree: ast.Expr = field(repr=False, compare=False)
    thresholds: tuple[int, ...] = ()
    """Exercise times (seconds) at which an ``elapsed`` comparison may change truth."""
    injects: tuple[str, ...] = ()
    """Inject ids the condition refers to (through its functions)."""
    warnings: tuple[str, ...] = ()
    """What may go wrong at run time (a division by something that can be 0)."""
    always: bool | None = None
    """True or False when the condition has the same value in every state (no names, no
    functions: ``true``, ``1 == 1``); None when it depends on the exercise."""


def _suggest(word: str, choices: Iterable[str]) -> str:
    close = difflib.get_close_matches(word, list(choices), n=1, cutoff=0.6)
    return f" (did you mean {close[0]!r}?)" if close else ""


class _Checker(ast.NodeTransformer):
    def __init__(self, names: NameTable) -> None:
        self.names = names
        self.known = set(names.variables) | set(names.flags) | set(BUILTIN_NAMES)
        self.thresholds: set[int] = set()
        self.injects: set[str] = set()
        self.problems: list[str] = []
        self.warnings: list[str] = []
        self.constant = True

    def generic_visit(self, node: ast.AST) -> ast.AST:
        if not isinstance(node, _ALLOWED_NODES):
            self.problems.append(f"{_describe(node)} is not allowed in a condition")
            return node
        return super().generic_visit(node)

    def visit_Name(self, node: ast.Name) -> ast.AST:
        if node.id not in ("true", "false", "True", "False"):
            self.constant = False
        if node.id not in self.known:
            self.problems.append(
                f"unknown name {node.id!r}{_suggest(node.id, self.known)}: "
                "a condition may use the scenario's variables and flags, 'phase' and 'elapsed'"
            )
        return node

    def visit_Constant(self, node: ast.Constant) -> ast.AST:
        if isinstance(node.value, str) and DURATION_PATTERN.match(node.value):
            try:
                return ast.copy_location(ast.Constant(parse_duration(node.value)), node)
            except ValueError as exc:
                self.problems.append(str(exc))
        elif not isinstance(node.value, (str, int, float, bool)):
            self.problems.append(f"{node.value!r} is not allowed in a condition")
        elif isinstance(node.value, (int, float)) and not abs(node.value) <= MAX_NUMBER:
            self.problems.append(
                f"the number {_short(node.value)} is too large (at most {MAX_NUMBER:g})"
            )
        return node

    def visit_BinOp(self, node: ast.BinOp) -> ast.AST:
        new = self.generic_visit(node)
        if isinstance(new, ast.BinOp) and isinstance(new.op, ast.Div):
            right = new.right
            if isinstance(right, ast.Constant) and right.value == 0:
                self.problems.append("division by zero")
            elif not isinstance(right, ast.Constant):
                self.warnings.append(
                    f"divides by {ast.unparse(right)!r}: if it is 0 during play, the exercise stops there"
                )
        return new

    def visit_Compare(self, node: ast.Compare) -> ast.AST:
        new = self.generic_visit(node)
        assert isinstance(new, ast.Compare)
        operands = [new.left, *new.comparators]
        names = {o.id for o in operands if isinstance(o, ast.Name)}
        constants = [o.value for o in operands if isinstance(o, ast.Constant)]
        if "elapsed" in names:
            for value in constants:
                if isinstance(value, (int, float)) and not isinstance(value, bool):
                    if not abs(value) <= MAX_NUMBER:
                        continue  # refused by visit_Constant
                    self.thresholds.update({int(value), int(value) + 1})
                elif isinstance(value, str):
                    self.problems.append(
                        f"elapsed is compared with {value!r}: write a time as 'HH:MM' or 'HH:MM:SS'"
                    )
        numeric = names & set(self.names.variables)
        boolean = names & set(self.names.flags)
        for value in constants:
            if isinstance(value, str) and numeric:
                self.problems.append(
                    f"{sorted(numeric)[0]} is a number and is compared with the text {value!r}"
                )
            if isinstance(value, str) and boolean:
                self.problems.append(
                    f"{sorted(boolean)[0]} is a flag (true or false) and is compared with the text {value!r}"
                )
        if "phase" in names:
            phases = set(self.names.phase_ids)
            for value in constants:
                if isinstance(value, str) and value not in phases:
                    self.problems.append(f"unknown phase {value!r}{_suggest(value, phases)}")
        return new

    def visit_Call(self, node: ast.Call) -> ast.AST:
        self.constant = False
        if not isinstance(node.func, ast.Name):
            self.problems.append(f"{_describe(node.func)} is not allowed in a condition")
            return node
        if node.func.id not in FUNCTIONS:
            name = node.func.id
            self.problems.append(
                f"unknown function {name!r}{_suggest(str(name), FUNCTIONS)}: "
                "use delivered(), decided(), chose() or expired()"
            )
            return node
        fname = node.func.id
        fewest, most = FUNCTIONS[fname]
        if node.keywords:
            self.problems.append(f"{fname}() takes plain arguments, not name=value")
            return node
        args = node.args
        if not fewest <= len(args) <= most:
            want = str(fewest) if fewest == most else f"{fewest} or {most}"
            self.problems.append(f"{fname}() takes {want} argument(s), got {len(args)}")
            return node
        values: list[str] = []
        for arg in args:
            if not (isinstance(arg, ast.Constant) and isinstance(arg.value, str)):
                self.problems.append(f"{fname}() takes quoted ids, e.g. {fname}('bmb-02')")
                return node
            values.append(arg.value)
        self._check_refs(fname, values)
        return node

    def _check_refs(self, fname: str, values: list[str]) -> None:
        inject_id = values[0]
        points = self.names.inject_points
        if inject_id in self.names.unchecked:
            return
        if inject_id not in points:
            self.problems.append(
                f"{fname}(): unknown inject {inject_id!r}{_suggest(inject_id, points)}"
            )
            return
        self.injects.add(inject_id)
        if len(values) < 2:
            if fname in ("decided", "expired") and not points[inject_id]:
                self.problems.append(f"{fname}(): inject {inject_id!r} has no decision points")
            return
        second = values[1]
        if fname == "chose":
            options = {o for opts in points[inject_id].values() for o in opts}
            if second not in options:
                self.problems.append(
                    f"chose(): inject {inject_id!r} has no option {second!r}{_suggest(second, options)}"
                )
        elif second not in points[inject_id]:
            self.problems.append(
                f"{fname}(): inject {inject_id!r} has no decision point {second!r}"
                f"{_suggest(second, points[inject_id])}"
            )


def _describe(node: ast.AST) -> str:
    kinds = {
        ast.Attribute: "attribute access ('.')",
        ast.Subscript: "indexing ('[...]')",
        ast.Lambda: "lambda",
        ast.List: "a list",
        ast.Tuple: "a tuple",
        ast.Dict: "a dict",
        ast.IfExp: "'x if y else z'",
        ast.Mod: "'%'",
        ast.Pow: "'**'",
        ast.FloorDiv: "'//'",
        ast.In: "'in'",
        ast.NotIn: "'not in'",
        ast.Is: "'is'",
        ast.IsNot: "'is not'",
        ast.BitAnd: "'&' (write 'and')",
        ast.BitOr: "'|' (write 'or')",
        ast.Invert: "'~' (write 'not')",
    }
    for kind, text in kinds.items():
        if isinstance(node, kind):
            return text
    return type(node).__name__


def _short(value: object) -> str:
    text = repr(value)
    return text if len(text) <= 24 else text[:21] + "..."


def _depth(tree: ast.AST) -> int:
    """How deeply the tree nests (iteratively: the tree may be too deep to recurse over)."""
    deepest = 0
    stack = [(tree, 1)]
    while stack:
        node, depth = stack.pop()
        deepest = max(deepest, depth)
        if deepest > MAX_DEPTH:
            return deepest
        stack.extend((child, depth + 1) for child in ast.iter_child_nodes(node))
    return deepest


def compile_condition(text: str, names: NameTable) -> Condition:
    """Parse and check ``text``; raise :class:`ConditionError` naming every problem found."""
    source = text.strip()
    if not source:
        raise ConditionError("the condition is empty")
    if len(source) > MAX_CHARS:
        raise ConditionError(
            f"the condition is too long ({len(source)} characters; at most {MAX_CHARS})"
        )
    too_deep = ConditionError(
        f"the condition nests too deeply (more than {MAX_DEPTH} levels of not, signs, brackets"
        " or arithmetic): split it or simplify it"
    )
    try:
        tree = ast.parse(source, mode="eval")
    except SyntaxError as exc:
        if "too many nested" in str(exc.msg):
            raise too_deep from None
        col = f" at column {exc.offset}" if exc.offset else ""
        hint = ""
        if "leading zeros" in str(exc.msg) or "invalid decimal literal" in str(exc.msg):
            hint = " (put ids and times in quotes, e.g. delivered('bmb-01') or elapsed >= '01:30')"
        raise ConditionError(f"broken expression{col}: {exc.msg}{hint}") from None
    except (RecursionError, MemoryError):
        raise too_deep from None
    if _depth(tree) > MAX_DEPTH:
        raise too_deep
    checker = _Checker(names)
    new_tree = checker.visit(tree)
    if checker.problems:
        raise ConditionError("; ".join(dict.fromkeys(checker.problems)))
    assert isinstance(new_tree, ast.Expression)
    expr = ast.Expr(value=new_tree.body)
    ast.fix_missing_locations(expr)
    always: bool | None = None
    if checker.constant:
        try:
            always = bool(_evaluator({}, {}).eval(text, previously_parsed=expr))
        except (ArithmeticError, TypeError, ValueError) as exc:
            raise ConditionError(f"cannot be evaluated: {exc}") from None
    return Condition(
        text=text,
        tree=expr,
        thresholds=tuple(sorted(checker.thresholds)),
        injects=tuple(sorted(checker.injects)),
        warnings=tuple(dict.fromkeys(checker.warnings)),
        always=always,
    )


class ConditionContext(Protocol):
    """What evaluation needs from an exercise state."""

    def condition_names(self) -> dict[str, Any]: ...

    def delivered(self, inject: str) -> bool: ...

    def decided(self, inject: str, point: str | None = None) -> bool: ...

    def chose(self, inject: str, option: str) -> bool: ...

    def expired(self, inject: str, point: str | None = None) -> bool: ...


def _evaluator(names: dict[str, Any], functions: dict[str, Callable[..., bool]]) -> SimpleEval:
    names.setdefault("true", True)
    names.setdefault("false", False)
    names.setdefault("True", True)
    names.setdefault("False", False)
    return SimpleEval(names=names, functions=functions)


def evaluate(condition: Condition, context: ConditionContext) -> bool:
    """Evaluate a compiled condition against a state, safely.

    Raises :class:`ConditionFailed` when the arithmetic fails in this state (a division by a
    variable that is now 0): the caller names the condition's place and stops cleanly.
    """
    functions: dict[str, Callable[..., bool]] = {
        "delivered": context.delivered,
        "decided": context.decided,
        "chose": context.chose,
        "expired": context.expired,
    }
    evaluator = _evaluator(context.condition_names(), functions)
    try:
        return bool(evaluator.eval(condition.text, previously_parsed=condition.tree))
    except (ArithmeticError, TypeError, ValueError) as exc:
        reason = "division by zero" if isinstance(exc, ZeroDivisionError) else str(exc)
        raise ConditionFailed(
            f"condition {condition.text!r} cannot be evaluated: {reason}"
        ) from None
