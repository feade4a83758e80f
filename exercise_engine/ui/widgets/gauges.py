"""World-state gauges: each variable as a bar between its bounds, with its value; then the flags."""

from __future__ import annotations

from typing import TYPE_CHECKING, cast

from textual.app import ComposeResult
from textual.containers import Grid, Vertical
from textual.widgets import Label, ProgressBar, Static

from exercise_engine.safe_text import printable
from exercise_engine.ui.safe_output import shown

if TYPE_CHECKING:
    from exercise_engine.ui.base import ConsoleApp


class WorldGauges(Vertical):
    """One gauge per scenario variable; redraws when new events arrive."""

    def compose(self) -> ComposeResult:
        app = cast("ConsoleApp", self.app)
        with Grid(classes="gauges"):
            for name, variable in app.scenario.file.variables.items():
                yield Label(printable(variable.label), classes="gauge-label", markup=False)
                yield ProgressBar(
                    total=variable.max - variable.min,
                    show_eta=False,
                    show_percentage=False,
                    id=f"gauge-{name}",
                    classes="gauge-bar",
                )
                yield Label("", id=f"value-{name}", classes="gauge-value")
        yield Static("", classes="flags")

    def on_mount(self) -> None:
        self.watch(cast("ConsoleApp", self.app), "revision", self.redraw)

    def redraw(self, _value: object = None) -> None:
        app = cast("ConsoleApp", self.app)
        view = app.link.view
        for name, variable in app.scenario.file.variables.items():
            value = view.variables.get(name, variable.initial)
            self.query_one(f"#gauge-{name}", ProgressBar).update(progress=value - variable.min)
            better = "lower is better" if variable.good == "low" else "higher is better"
            self.query_one(f"#value-{name}", Label).update(
                f"[b]{value:g}[/b] ({variable.min:g}–{variable.max:g}, {better})"
            )
        flags = "  ".join(
            f"{shown(name.replace('_', ' '))}: [b]{'yes' if on else 'no'}[/b]"
            for name, on in sorted(view.flags.items())
        )
        self.query_one(".flags", Static).update(f"Flags  {flags}" if flags else "")
