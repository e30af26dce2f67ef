"""The `study` command: option parsing, wiring and rendering. Logic worth testing lives elsewhere.

One module per command; importing them registers the commands on `app` in help order. The command
modules do not use `from __future__ import annotations`: Typer needs every command's annotations
evaluated on every run, and evaluating them from strings compiles each one (~3 ms a run, `--help`
included), where annotations written as code are evaluated from the cached bytecode. Helper
signatures that name a type imported only for type checking quote it.
"""

from __future__ import annotations

# The import order is the order of the commands in `study --help` (ruff's I001 is off here).
from . import check, review, mock, gaps, report, plan, cards, lint, data, backup, settings
from .app import app, main

__all__ = ["app", "main"]
