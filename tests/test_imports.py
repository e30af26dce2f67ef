"""Start-up stays cheap: a command imports only what it uses.

Each case runs the real `study` entry point in a fresh interpreter and then lists `sys.modules`, so
a stray top-level import anywhere (a use case importing the store, a view importing rich's
Markdown) fails here by name, not as a slower benchmark nobody reads. No timing is asserted.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from .conftest import ALPHA, BETA, GAMMA, PLAN, write

# Run the CLI in-process, then print the modules it loaded (stdout of the command goes to a buffer).
PROBE = """
import contextlib, io, json, sys
sys.argv = ["study", *json.loads(sys.argv[1])]
from studycli.cli import main
with contextlib.redirect_stdout(io.StringIO()):
    try:
        main()
    except SystemExit as exc:
        code = exc.code
    else:
        code = 0
print(json.dumps({"code": code, "modules": sorted(sys.modules)}))
"""

# Never needed to print the help: storage, parsers of files, the memory model, the report.
NOT_FOR_HELP = (
    "sqlite3",
    "yaml",
    "frontmatter",
    "fsrs",
    "pydantic",
    "studycli.store",
    "studycli.yamlsrc",
    "studycli.memory",
    "studycli.report",
    "studycli.ui.report_view",
    "studycli.ui.safe_markdown",
    # nor the content, the core or any use case: help is signatures and docstrings
    "studycli.content",
    "studycli.deckcache",
    "studycli.decks",
    "studycli.plans",
    "studycli.model",
    "studycli.session",
    "studycli.daily",
    "studycli.stats",
    "studycli.gaps",
    "studycli.lint",
    "studycli.mock",
    "studycli.answers",
    "studycli.cli.studying",
    "studycli.textsafe",  # its ~20 patterns take ~3 ms to compile; help shows no untrusted text
)
# Never needed for a check preview once the parsed-deck cache is warm: Markdown rendering and
# parsing, syntax highlighting, the memory model and the report.
NOT_FOR_PREVIEW = (
    "markdown_it",
    "rich.markdown",
    "rich.syntax",
    "pygments",
    "frontmatter",
    "fsrs",
    "pydantic",  # Typer 0.29 validates every option through it: pinned below 0.29 (pyproject)
    "multiprocessing",  # the parse workers, only when many decks have no parsed-deck cache
    "concurrent.futures.process",
    "studycli.parsepool",
    "studycli.memory",
    "studycli.report",
    "studycli.ui.report_view",
    "studycli.ui.safe_markdown",
    # nor what other commands use: the linter, gap walks, mock rounds, card tools, backups
    "studycli.lint",
    "studycli.mock",
    "studycli.usecases.cards",
    "studycli.usecases.assessment",
    "studycli.usecases.mock_round",
    "studycli.usecases.backup",
    "studycli.usecases.plan",
    "studycli.usecases.settings",
    "studycli.usecases.report",
)


def loaded(args: list[str], env: dict[str, str]) -> set[str]:
    proc = subprocess.run(
        [sys.executable, "-c", PROBE, json.dumps(args)], env=env, capture_output=True, text=True, check=False
    )
    assert proc.returncode == 0, proc.stderr
    result = json.loads(proc.stdout.strip().splitlines()[-1])
    assert result["code"] == 0, proc.stderr
    return set(result["modules"])


def environment(tmp_path: Path) -> dict[str, str]:
    root = tmp_path / "content"
    write(root, "decks/t/alpha.md", ALPHA)
    write(root, "decks/t/beta.md", BETA)
    write(root, "decks/t/gamma.md", GAMMA)
    write(root, "plans/starter.yaml", PLAN)
    env = {k: v for k, v in os.environ.items() if not k.startswith("STUDY_")}
    env.update(
        STUDY_HOME=str(tmp_path / "home"),
        STUDY_DECKS=str(root / "decks"),
        STUDY_PLANS=str(root / "plans"),
        STUDY_BUNDLED="0",
        STUDY_TODAY="2026-03-02",
        NO_COLOR="1",
    )
    return env


def test_help_imports_no_storage_parsers_or_report(tmp_path: Path) -> None:
    modules = loaded(["--help"], environment(tmp_path))
    assert "studycli.cli.check" in modules  # the probe did load the commands
    assert sorted(m for m in NOT_FOR_HELP if m in modules) == []
    assert sorted(m for m in modules if m.startswith("studycli.usecases.")) == []


def test_warm_check_preview_imports_no_markdown_model_or_report(tmp_path: Path) -> None:
    env = environment(tmp_path)
    first = loaded(["config", "set", "plan", "starter"], env)  # parses the decks, fills the cache
    assert {"studycli.mdblocks", "yaml"} <= first  # the probe does see a parser when one is used
    # ...and these plain decks are read line by line: markdown-it (~40 ms to import) is not needed
    assert "markdown_it" not in first
    warm = loaded(["check", "--preview", "--json"], env)
    assert "studycli.usecases.check" in warm
    assert sorted(m for m in NOT_FOR_PREVIEW if m in warm) == []


def test_json_output_loads_no_terminal_renderer(tmp_path: Path) -> None:
    """A command asked for JSON (or Markdown) writes it without rich: scripts that call it every
    few minutes do not pay for consoles, tables and styles they never see. The same command for a
    terminal does load it (the probe sees it)."""
    env = environment(tmp_path)
    loaded(["config", "set", "plan", "starter"], env)
    for args in (
        ["check", "--preview", "--json"],
        ["review", "--preview", "--json"],
        ["report", "--format", "json"],
        ["report", "--format", "markdown"],
        ["find", "", "--json"],
        ["topics", "--json"],
    ):
        modules = loaded(args, env)
        assert sorted(m for m in modules if m == "rich" or m.startswith("rich.")) == [], args
    assert "rich.console" in loaded(["report"], env)


def test_commands_hand_typer_evaluated_annotations() -> None:
    """Typer reads each command's type hints on every run; as strings (`from __future__ import
    annotations`) each one is compiled again, which was most of the cost of building the command
    tree. `guarded` gives Typer the annotations it already evaluated: none may be a string."""
    import typer.main

    from studycli.cli import app

    commands = [info.callback for info in app.registered_commands]
    commands += [
        info.callback for group in app.registered_groups for info in group.typer_instance.registered_commands
    ]
    assert len(commands) >= 15
    # Neither what Typer reads nor the command functions themselves (whose strings `guarded`
    # would otherwise evaluate at import, compiling each one: see `studycli.cli`'s docstring).
    from studycli.cli import complete

    strings = {
        f"{function.__name__}.{name}": hint
        for callback in commands
        for function in (callback, callback.__wrapped__)
        for name, hint in function.__annotations__.items()
        if isinstance(hint, str)
    }
    # the completers too: Typer reads their signatures for every option that names one
    strings |= {
        f"{completer.__name__}.{name}": hint
        for completer in complete.COMPLETERS.values()
        for name, hint in completer.__annotations__.items()
        if isinstance(hint, str)
    }
    assert strings == {}
    typer.main.get_command(app)  # and Typer still builds the tree from them
