"""The `study` command: option parsing, wiring and rendering. Logic worth testing lives elsewhere.

One module per command; importing them registers the commands on `app` in help order.
"""

from __future__ import annotations

# The import order is the order of the commands in `study --help` (ruff's I001 is off here).
from . import check, review, mock, gaps, report, plan, cards, lint, data, backup, settings
from .app import app, main

__all__ = ["app", "main"]
