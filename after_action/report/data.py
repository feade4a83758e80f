"""The report as plain data (kept for callers of ``report_data``): see
:mod:`after_action.report.model`, the one typed model every format renders."""

from after_action.report.model import report_data

__all__ = ["report_data"]
