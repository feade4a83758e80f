"""After-action reports of an assessment: Markdown, self-contained HTML (inline SVG charts), JSON."""

from after_action.report.render import render_report

__all__ = ["render_report"]
