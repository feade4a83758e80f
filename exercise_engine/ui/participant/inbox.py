"""The role's inbox: messages newest first with unread marks, and the highlighted one in full."""

from __future__ import annotations

from typing import TYPE_CHECKING, cast

from textual.app import ComposeResult
from textual.containers import Container, VerticalScroll
from textual.content import Content
from textual.message import Message
from textual.widgets import Markdown, OptionList, Static
from textual.widgets.option_list import Option

from exercise_engine.safe_text import printable
from exercise_engine.ui.safe_output import shown
from exercise_engine.ui.views.inbox import InboxItem, inbox_for
from exercise_engine.ui.views.timefmt import scenario_clock_text, scenario_time_text, short_time

if TYPE_CHECKING:
    from exercise_engine.ui.participant.app import ParticipantApp


class Inbox(Container):
    """The list of messages above (or beside) the message being read."""

    class UnreadChanged(Message):
        """The number of unread messages changed (the tab label shows it)."""

        def __init__(self, unread: int) -> None:
            super().__init__()
            self.unread = unread

    def __init__(self, id: str | None = None) -> None:
        super().__init__(id=id)
        self.read: set[str] = set()
        """Keys of messages this console has shown (unread marks are per console)."""
        self.items: dict[str, InboxItem] = {}
        self.showing: str | None = None

    def compose(self) -> ComposeResult:
        yield OptionList(id="inbox-list")
        with VerticalScroll(id="message"):
            yield Static("No messages yet.", id="message-head")
            yield Markdown("", id="message-body")

    def on_mount(self) -> None:
        self.watch(cast("ParticipantApp", self.app), "revision", self.redraw)

    def redraw(self, _value: object = None) -> None:
        app = cast("ParticipantApp", self.app)
        items = inbox_for(app.scenario, app.link.view, app.role)
        self.items = {item.key: item for item in items}
        listing = self.query_one(OptionList)
        keep = listing.highlighted_option.id if listing.highlighted_option else None
        listing.set_options([Option(self._prompt(item), id=item.key) for item in items])
        if keep is not None and keep in self.items:
            listing.highlighted = listing.get_option_index(keep)
        if self.showing is None:
            self.query_one("#message-head", Static).update(
                "Move to a message with ↑ ↓ to read it." if items else "No messages yet."
            )
        self.post_message(self.UnreadChanged(self.unread))

    @property
    def unread(self) -> int:
        return sum(1 for key in self.items if key not in self.read)

    def _prompt(self, item: InboxItem) -> Content:
        scenario = cast("ParticipantApp", self.app).scenario
        mark = " " if item.key in self.read else "●"
        when = scenario_clock_text(scenario, item.at)
        return Content.from_markup(
            f"[b]{mark}[/b] {when}  {shown(item.channel)} · {shown(item.sender)}\n"
            f"  [b]{shown(item.title)}[/b]"
        )

    async def on_option_list_option_highlighted(self, event: OptionList.OptionHighlighted) -> None:
        key = event.option.id
        if key is None or key not in self.items:
            return
        await self.show(key)

    async def show(self, key: str) -> None:
        """Show a message in full and mark it read."""
        app = cast("ParticipantApp", self.app)
        item = self.items[key]
        self.showing = key
        self.query_one("#message-head", Static).update(
            f"[b]{shown(item.title)}[/b]\n{shown(item.channel)} from {shown(item.sender)} · "
            f"{scenario_time_text(app.scenario, item.at)} (exercise {short_time(item.at)})"
        )
        await self.query_one("#message-body", Markdown).update(printable(item.body))
        if key not in self.read:
            self.read.add(key)
            listing = self.query_one(OptionList)
            listing.replace_option_prompt(key, self._prompt(item))
            self.post_message(self.UnreadChanged(self.unread))
