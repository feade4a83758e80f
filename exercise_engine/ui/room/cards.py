"""Printable inject cards and join-code slips as one self-contained HTML page (no Textual).

Who calls it: ``exercise-engine cards`` (:mod:`exercise_engine.commands.cards`). Each card is a
seat's own copy of an inject (``scenario.copy_for``: its variant if it has one), so a card never
shows a seat what another seat was told; the decision points on a card are the ones that seat
decides or is consulted on, with their options' labels and never their effects. Every piece of
text is escaped: a title or body is someone's typing and prints as text, never as markup. The
page carries its own styles and loads nothing from any other host.
"""

from __future__ import annotations

import html
from dataclasses import dataclass

from exercise_engine.loading import LoadedScenario
from exercise_engine.model import format_duration
from exercise_engine.model.inject import Inject
from exercise_engine.ui.views.timefmt import scenario_clock_text


@dataclass(frozen=True)
class Card:
    """One inject as one seat receives it."""

    seat: str
    inject: str
    cue: str
    """When the facilitator hands it over: ``at 01:30 (Tue 06:30)``, ``by hand``..."""
    channel: str
    sender: str
    title: str
    body: str
    asks: tuple[str, ...]
    """What the card asks of this seat: ``Decide: prompt (options)`` or ``Advise on: prompt``."""


@dataclass(frozen=True)
class Slip:
    """One seat's join code, to cut out and hand to whoever sits the seat."""

    role: str
    title: str
    abbreviation: str
    code: str


def cue_text(scenario: LoadedScenario, inject: Inject) -> str:
    """When an inject is delivered, in the facilitator's words."""
    if inject.manual:
        return "by hand, when the facilitator chooses"
    parts = []
    if inject.at is not None:
        parts.append(
            f"at {format_duration(inject.at)} ({scenario_clock_text(scenario, inject.at)})"
        )
    if inject.after is not None:
        parts.append(f"{format_duration(inject.after.delay)} after {inject.after.inject}")
    if inject.when is not None:
        parts.append(f"when {inject.when}")
    if inject.phase is not None:
        parts.append(f"in phase {inject.phase}")
    return ", ".join(parts)


def inject_cards(scenario: LoadedScenario) -> list[Card]:
    """Every inject for every seat that receives it: seats in the scenario's order, each seat's
    injects in delivery order (timed ones by time, then the others in file order)."""
    order = sorted(
        enumerate(scenario.injects.values()),
        key=lambda pair: (pair[1].at if pair[1].at is not None else 10**9, pair[0]),
    )
    channels = scenario.channels
    cards = []
    for seat in scenario.roles:
        for _index, inject in order:
            copy = scenario.copy_for(inject, seat)
            if copy is None:
                continue
            asks = []
            for point in inject.decisions:
                options = "; ".join(o.label for o in point.options)
                within = (
                    f", within {format_duration(point.respond_within)}"
                    if point.respond_within is not None
                    else ""
                )
                if point.role == seat:
                    asks.append(
                        f"Decide{within}: {point.prompt}"
                        + (f" Options: {options}" if options else "")
                    )
                elif seat in point.consult:
                    asks.append(f"Advise the {scenario.role_title(point.role)} on: {point.prompt}")
            cards.append(
                Card(
                    seat,
                    inject.id,
                    cue_text(scenario, inject),
                    channels.get(copy.channel, copy.channel),
                    copy.sender,
                    copy.title,
                    copy.body,
                    tuple(asks),
                )
            )
    return cards


STYLE = """
body { font-family: system-ui, sans-serif; margin: 1.5rem; color: #000; background: #fff; }
h1 { font-size: 1.4rem; margin: 0 0 .5rem; }
h2 { font-size: 1.2rem; border-bottom: 2px solid #003a8c; margin: 0 0 .8rem; padding-bottom: .2rem; }
.seat { break-before: page; page-break-before: always; }
.seat:first-of-type { break-before: auto; page-break-before: auto; }
.card { border: 1px solid #000; border-radius: 4px; padding: .6rem .8rem; margin: 0 0 .8rem;
        break-inside: avoid; page-break-inside: avoid; }
.card .meta { font-size: .85rem; color: #333; }
.card .title { font-size: 1.1rem; font-weight: bold; margin: .2rem 0; }
.card .body { margin: .4rem 0; }
.card .body p, .card .body ul, .card .body ol { margin: .3rem 0; }
.card .asks { border-top: 1px dashed #666; padding-top: .3rem; font-weight: bold; }
.card .cue { font-size: .75rem; color: #555; text-align: right; }
.slips { break-before: page; page-break-before: always; display: flex; flex-wrap: wrap; gap: .5rem; }
.slip { border: 1px dashed #000; padding: .8rem; width: 45%; break-inside: avoid;
        page-break-inside: avoid; }
.slip .code { font: bold 2rem monospace; letter-spacing: .2rem; margin: .4rem 0; }
.slip .how { font-size: .8rem; }
.note { font-size: .85rem; color: #333; }
@media print { body { margin: 0; } }
"""


def cards_html(
    scenario: LoadedScenario,
    cards: list[Card],
    slips: list[Slip] | None,
    *,
    journal: str | None = None,
) -> str:
    """The printable page: the cards grouped by seat, then the slips (when a journal gave them)."""
    e = _escape
    out = [
        "<!DOCTYPE html>",
        '<html lang="en"><head><meta charset="utf-8">',
        f"<title>Inject cards: {e(scenario.title)}</title>",
        f"<style>{STYLE}</style></head><body>",
    ]
    for seat in scenario.roles:
        mine = [card for card in cards if card.seat == seat]
        if not mine:
            continue
        info = scenario.roles[seat]
        out.append(f'<section class="seat" data-seat="{e(seat)}">')
        out.append(f"<h1>{e(scenario.title)}</h1>")
        out.append(f"<h2>{e(info.title)} ({e(info.abbreviation)}): {len(mine)} card(s)</h2>")
        for card in mine:
            out.append(f'<div class="card" data-inject="{e(card.inject)}">')
            out.append(f'<div class="meta">{e(card.channel)} · from {e(card.sender)}</div>')
            out.append(f'<div class="title">{e(card.title)}</div>')
            out.append(f'<div class="body">{body_html(card.body)}</div>')
            for ask in card.asks:
                out.append(f'<div class="asks">{e(ask)}</div>')
            out.append(f'<div class="cue">{e(card.inject)} · {e(card.cue)}</div>')
            out.append("</div>")
        out.append("</section>")
    if slips is not None:
        out.append('<section class="slips">')
        for slip in slips:
            out.append(f'<div class="slip" data-seat="{e(slip.role)}">')
            out.append(f"<div>{e(scenario.title)}</div>")
            out.append(f"<div><b>{e(slip.title)} ({e(slip.abbreviation)})</b></div>")
            out.append(f'<div class="code">{e(slip.code)}</div>')
            where = f" {e(journal)}" if journal else " DB"
            out.append(
                '<div class="how">Type this code when your browser link asks for it, or run '
                f"<code>exercise-engine join{where} --role {e(slip.role)} --code {e(slip.code)}"
                "</code>. Keep it to yourself.</div>"
            )
            out.append("</div>")
        out.append("</section>")
    out.append("</body></html>")
    return "\n".join(out) + "\n"


def body_html(text: str) -> str:
    """An inject's Markdown as HTML: raw HTML in it is shown as text, and links and images stay
    text too (a printed card follows no link, and the page loads nothing from anywhere)."""
    from markdown_it import MarkdownIt

    renderer = MarkdownIt("commonmark", {"html": False}).disable(["image", "link", "autolink"])
    return str(renderer.render(text.strip()))


def _escape(text: object) -> str:
    return html.escape(str(text), quote=True)
