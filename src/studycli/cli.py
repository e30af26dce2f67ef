"""The `study` command: option parsing, wiring and rendering. Logic worth testing lives elsewhere."""

from __future__ import annotations

import contextlib
import functools
import json
import os
import sys
import traceback
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Annotated, Any, TypeVar

import typer
from rich.console import Console
from rich.table import Table
from rich.text import Text

from . import __version__, config, plans, sm2
from .content import load_collection
from .errors import StudyError
from .model import Collection, Item, Plan
from .session import CheckRequest, CheckRun, build_check, summarise, topic_order
from .stats import due_outlook
from .store import Store
from .ui.console import make_console, untrusted

HELP = """\
Spaced-repetition study for AI / ML / LLM engineering interviews.

Every study day ends with `study check`: about ten questions, 70% new material from
today's place in your plan and 30% reviews that the SM-2 scheduler says are due. Grade honestly
(0-5) and the scheduler brings each card back just before you would forget it.

Progress lives in one SQLite file (see `study config`); set STUDY_TODAY=YYYY-MM-DD to
pretend it is another day.
"""

app = typer.Typer(
    name="study",
    help=HELP,
    rich_markup_mode="markdown",
    no_args_is_help=True,
    context_settings={"help_option_names": ["-h", "--help"]},
    pretty_exceptions_enable=False,
)
config_app = typer.Typer(
    help="Show or change settings: extra deck and plan folders, the active plan.",
    no_args_is_help=False,
    invoke_without_command=True,
)
app.add_typer(config_app, name="config")

F = TypeVar("F", bound=Callable[..., Any])


@dataclass
class Shell:
    """Per-command resources, opened lazily so `--help` and errors stay cheap."""

    out: Console = field(default_factory=make_console)
    err: Console = field(default_factory=lambda: make_console(stderr=True))
    _store: Store | None = None

    @property
    def store(self) -> Store:
        if self._store is None:
            self._store = Store(config.db_path())
        return self._store

    def collection(self, settings: dict[str, str]) -> Collection:
        return load_collection(config.content_dirs(settings), config.cache_path())

    def warn_content(self, collection: Collection) -> None:
        errors = [d for d in collection.diagnostics if d.severity == "error"]
        if errors:
            self.err.print(
                Text(
                    f"warning: {len(errors)} problem(s) in your decks or plans; the broken parts are "
                    "skipped. Run `study lint` for details.",
                    style="warn",
                )
            )

    def close(self) -> None:
        if self._store is not None:
            self._store.close()


def guarded(func: F) -> F:
    """Run a command with a Shell; turn StudyError (and surprises) into a message and exit code."""

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        shell = Shell()
        try:
            return func(shell, *args, **kwargs)
        except StudyError as exc:
            # soft_wrap: paths and commands in messages must stay whole for copy and paste
            shell.err.print(
                Text.assemble(Text("error: ", style="bad bold"), Text(exc.message)), soft_wrap=True
            )
            if exc.hint:
                shell.err.print(Text.assemble(Text("hint: ", style="muted"), Text(exc.hint)), soft_wrap=True)
            raise typer.Exit(exc.exit_code) from None
        except (typer.Exit, typer.Abort):
            raise
        except BrokenPipeError:  # `study export | head`: the reader left; not an error worth a word
            with contextlib.suppress(OSError):
                os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
            raise typer.Exit(141) from None
        except KeyboardInterrupt:
            shell.err.print(Text("interrupted", style="warn"))
            raise typer.Exit(130) from None
        except Exception as exc:  # a bug: say so plainly, details on request
            if os.environ.get("STUDY_DEBUG"):
                traceback.print_exc()
            shell.err.print(
                Text.assemble(
                    Text("internal error: ", style="bad bold"),
                    Text(f"{type(exc).__name__}: {exc}"),
                    Text(
                        "\nYour progress is safe. Run with STUDY_DEBUG=1 for details and report it.",
                        style="muted",
                    ),
                )
            )
            raise typer.Exit(70) from None
        finally:
            shell.close()

    # Typer reads the signature: hide the injected `shell` parameter.
    import inspect

    signature = inspect.signature(func, eval_str=True)
    wrapper.__signature__ = signature.replace(parameters=list(signature.parameters.values())[1:])  # type: ignore[attr-defined]
    return wrapper  # type: ignore[return-value]


def _version(value: bool) -> None:
    if value:
        typer.echo(f"studycli {__version__}")
        raise typer.Exit()


@app.callback()
def _main(
    version: Annotated[
        bool, typer.Option("--version", callback=_version, is_eager=True, help="Show the version and exit.")
    ] = False,
) -> None:
    pass


# --- plan resolution ----------------------------------------------------------------------------


@dataclass(frozen=True)
class ActivePlan:
    plan: Plan | None
    start: date
    first_run: bool


def resolve_plan(settings: dict[str, str], collection: Collection, today: date) -> ActivePlan:
    plan_id = settings.get(config.SETTING_PLAN)
    first_run = plan_id is None
    plan_id = plan_id or config.DEFAULT_PLAN
    plan = collection.plan(plan_id)
    if plan is None and not first_run:
        raise StudyError(
            f"the active plan {plan_id!r} was not found",
            "list plans with `study plan --list`, then pick one with `study plan --use NAME`",
        )
    start_text = settings.get(config.SETTING_PLAN_START)
    start = config.parse_date(start_text, "plan_start setting") if start_text else today
    return ActivePlan(plan, start, first_run)


def _check_topics(topics: list[str], collection: Collection) -> None:
    import difflib

    known = [deck.id for deck in collection.decks]
    for topic in topics:
        if topic not in known:
            close = difflib.get_close_matches(topic, known, n=3, cutoff=0.5)
            raise StudyError(
                f"unknown topic {topic!r}",
                ("did you mean: " + ", ".join(close) + "? " if close else "")
                + "`study plan` lists topics by deck id, e.g. foundations/optimisation",
            )


# --- study check ---------------------------------------------------------------------------------


@app.command()
@guarded
def check(
    shell: Shell,
    size: Annotated[int, typer.Option("--size", "-n", min=1, max=200, help="How many items to ask.")] = 10,
    new_ratio: Annotated[
        float,
        typer.Option("--new-ratio", min=0.0, max=1.0, help="Share of new cards; the rest are due reviews."),
    ] = 0.7,
    topic: Annotated[
        list[str] | None,
        typer.Option(
            "--topic",
            "-t",
            metavar="DECK_ID",
            help="Only this topic (deck id, e.g. deep-learning/attention). Repeatable.",
        ),
    ] = None,
    preview: Annotated[
        bool, typer.Option("--preview", help="Show what would be asked; ask nothing.")
    ] = False,
    as_json: Annotated[bool, typer.Option("--json", help="With --preview: print JSON.")] = False,
) -> None:
    """Today's knowledge check: new cards from your plan plus due reviews.

    On a terminal, grade each card with one key: 0 blackout, 1 wrong but recognised, 2 wrong but
    nearly, 3 right with effort, 4 right after hesitation, 5 perfect. Multiple-choice cards are
    graded for you (right 4, wrong 1). Anything graded below 4 comes back at the end of the check.
    Ctrl-C stops at any time; every grade already given is saved.

    When stdin is not a terminal, answers are read as lines: for a question card, one line with
    your typed answer (may be empty) and one with the grade; for multiple choice, one line with
    the letter.
    """
    if as_json and not preview:
        raise StudyError("--json goes with --preview", "use `study check --preview --json`")
    today = config.today()
    store = shell.store
    settings = store.settings()
    collection = shell.collection(settings)
    shell.warn_content(collection)
    active = resolve_plan(settings, collection, today)
    topics = list(dict.fromkeys(topic or []))
    _check_topics(topics, collection)

    decks = {deck.id: deck for deck in collection.decks}
    if active.plan is not None:
        pos = plans.position(active.plan, active.start, today)
        order = topic_order(pos.today_topics, pos.reached_topics, decks, active.plan.topics)
    else:
        order = topic_order((), (), decks, ())
    states = store.states()
    items = build_check(CheckRequest(today, size, new_ratio, tuple(topics)), decks, states, order)

    if preview:
        _print_preview(shell, items, active, today, as_json)
        return

    if active.first_run and active.plan is not None:
        store.set_settings(
            {config.SETTING_PLAN: active.plan.id, config.SETTING_PLAN_START: today.isoformat()}
        )
        shell.out.print(
            Text.assemble(
                Text("First run: plan ", style="muted"),
                untrusted(repr(active.plan.id)),
                Text(
                    " starts today; `study plan` shows it, `study plan --list` offers others.", style="muted"
                ),
            ),
            soft_wrap=True,
        )
    card_ids = {card.id for deck in collection.decks for card in deck.cards}
    if not items:
        outlook = due_outlook(states, today, card_ids)
        nxt = f" The next review is due on {outlook.next_date.isoformat()}." if outlook.next_date else ""
        shell.out.print(
            Text(
                "Nothing to study right now: no reviews are due and today's plan topics have no new cards."
                + nxt,
                style="good",
            )
        )
        return
    _run_check(shell, store, items, decks, states, today, active.plan.id if active.plan else None, card_ids)


def _print_preview(shell: Shell, items: list[Item], active: ActivePlan, today: date, as_json: bool) -> None:
    if as_json:
        payload = {
            "date": today.isoformat(),
            "plan": active.plan.id if active.plan else None,
            "items": [
                {"card_id": i.card.id, "deck": i.card.deck_id, "source": i.source, "kind": i.card.kind.value}
                for i in items
            ],
        }
        shell.out.file.write(json.dumps(payload, indent=2, ensure_ascii=False) + "\n")
        return
    table = Table(title=f"Knowledge check for {today.isoformat()}", title_justify="left")
    table.add_column("#", justify="right", style="muted")
    table.add_column("kind")
    table.add_column("deck", style="accent")
    table.add_column("question", overflow="fold")
    for n, item in enumerate(items, 1):
        table.add_row(str(n), item.source, untrusted(item.card.deck_id), untrusted(item.card.question))
    shell.out.print(table)


def _run_check(
    shell: Shell,
    store: Store,
    items: list[Item],
    decks: dict[str, Any],
    states: dict[str, Any],
    today: date,
    plan_id: str | None,
    card_ids: set[str],
) -> None:
    from .ui.check_view import render_summary, run_check
    from .ui.prompt import KeyPrompter, LinePrompter

    session_id = store.start_session("check", today, planned=len(items), plan_id=plan_id)

    def record(item: Item, quality: int, seconds: float) -> None:
        card = item.card
        before = states.get(card.id)
        after = (
            before
            if item.repeat and before is not None
            else sm2.review(before or sm2.new_state(card.id), quality, today)
        )
        store.record_review(
            session_id=session_id,
            day=today,
            card_id=card.id,
            deck_id=card.deck_id,
            source=item.source,
            quality=quality,
            seconds=seconds,
            repeat=item.repeat,
            before=before,
            after=after,
        )
        states[card.id] = after

    interactive = sys.stdin is not None and sys.stdin.isatty()
    prompter = KeyPrompter(shell.out) if interactive else LinePrompter(shell.out, shell.err)
    run = CheckRun(items)
    status = "interrupted"  # what the session row says if anything below blows up
    try:
        outcome = run_check(shell.out, prompter, run, decks, record)
        status = "completed" if outcome.status == "completed" else "interrupted"
    finally:
        store.end_session(session_id, status)
    summary = summarise(run.graded, len(items))
    render_summary(shell.out, summary, outcome, due_outlook(states, today, card_ids))
    if outcome.status == "interrupted":
        raise typer.Exit(130)


# --- study plan ----------------------------------------------------------------------------------


@app.command()
@guarded
def plan(
    shell: Shell,
    list_plans: Annotated[bool, typer.Option("--list", "-l", help="List the available plans.")] = False,
    use: Annotated[
        str | None, typer.Option("--use", help="Make plan NAME the active one.", metavar="NAME")
    ] = None,
    start: Annotated[
        str | None,
        typer.Option("--start", help="Day the plan starts, YYYY-MM-DD (default: today).", metavar="DATE"),
    ] = None,
) -> None:
    """Show your week-by-week plan, with this week marked and today's topics listed.

    Switching plans keeps all progress: cards you have studied stay scheduled, and the new plan
    only decides which new cards come next.
    """
    today = config.today()
    store = shell.store
    settings = store.settings()
    collection = shell.collection(settings)
    if list_plans:
        _list_plans(shell, collection, settings)
        return
    start_date = config.parse_date(start, "--start") if start else None
    if use is not None:
        chosen = collection.plan(use)
        if chosen is None:
            import difflib

            close = difflib.get_close_matches(use, [p.id for p in collection.plans], n=3, cutoff=0.4)
            raise StudyError(
                f"no plan called {use!r}",
                ("did you mean: " + ", ".join(close) + "? " if close else "") + "see `study plan --list`",
            )
        store.set_settings(
            {config.SETTING_PLAN: chosen.id, config.SETTING_PLAN_START: (start_date or today).isoformat()}
        )
        settings = store.settings()
        shell.out.print(
            Text.assemble(
                Text("Active plan: ", style="good"),
                untrusted(chosen.title),
                Text(f" (from {(start_date or today).isoformat()})", style="muted"),
            )
        )
    elif start_date is not None:
        if config.SETTING_PLAN not in settings:
            settings[config.SETTING_PLAN] = config.DEFAULT_PLAN
        store.set_settings(
            {
                config.SETTING_PLAN: settings[config.SETTING_PLAN],
                config.SETTING_PLAN_START: start_date.isoformat(),
            }
        )
        settings = store.settings()
    active = resolve_plan(settings, collection, today)
    if active.plan is None:
        raise StudyError("no plan is available", "add a plan file to a plans folder, see README")
    from .ui.plan_view import render_plan

    render_plan(shell.out, plans.position(active.plan, active.start, today), collection, active.first_run)


def _list_plans(shell: Shell, collection: Collection, settings: dict[str, str]) -> None:
    active = settings.get(config.SETTING_PLAN, config.DEFAULT_PLAN)
    table = Table(title="Plans", title_justify="left")
    table.add_column("", width=1)
    table.add_column("name", style="accent", no_wrap=True)
    table.add_column("weeks", justify="right")
    table.add_column("title", overflow="fold")
    table.add_column("from", style="muted", overflow="fold")
    for p in sorted(collection.plans, key=lambda p: (len(p.weeks), p.id)):
        table.add_row(
            "▶" if p.id == active else "",
            untrusted(p.id),
            str(len(p.weeks)),
            untrusted(p.title),
            "bundled" if p.bundled else untrusted(str(p.path)),
        )
    shell.out.print(table)
    shell.out.print(Text("Switch with `study plan --use NAME [--start YYYY-MM-DD]`.", style="muted"))


# --- study lint ----------------------------------------------------------------------------------


@app.command()
@guarded
def lint(
    shell: Shell,
    paths: Annotated[
        list[Path] | None,
        typer.Argument(help="Deck or plan files or folders. Default: everything studycli would load."),
    ] = None,
) -> None:
    """Check decks and plans (and stored progress) and name every problem with file and line.

    Exits 1 if there are errors, so it can guard a pre-commit hook or CI for your own decks.
    """
    from .lint import count_files, lint_all, lint_paths

    store = shell.store
    settings = store.settings()
    dirs = config.content_dirs(settings)
    collection = load_collection(dirs, config.cache_path())
    if paths:
        result = lint_paths(paths, dirs, collection)
    else:
        result = lint_all(collection, store.deck_of_states(), count_files(dirs))
    for diag in result.diagnostics:
        style = "bad" if diag.severity == "error" else "warn"
        where = f"{diag.path}:{diag.line}" if diag.line else diag.path
        shell.out.print(
            Text.assemble(
                untrusted(where),
                Text(": "),
                Text(diag.severity, style=style),
                Text(": "),
                untrusted(diag.message),
            ),
            soft_wrap=True,
        )
    verdict = Text(
        f"{result.files} file(s) checked: {result.errors} error(s), {result.warnings} warning(s)",
        style="bad" if result.errors else "good",
    )
    shell.out.print(verdict)
    if result.errors:
        raise typer.Exit(1)


# --- export / import -----------------------------------------------------------------------------


@app.command()
@guarded
def export(
    shell: Shell,
    output: Annotated[
        Path | None,
        typer.Option("--output", "-o", help="Write to this file instead of stdout.", metavar="FILE"),
    ] = None,
) -> None:
    """Write all progress (card states, reviews, sessions, gap ratings, settings) as JSON.

    Use it for backups or to move to another machine; `study import` restores it.
    """
    if output is None:
        shell.store.write_export(sys.stdout)
        return
    tmp = output.with_name(output.name + ".tmp")
    try:
        with tmp.open("w", encoding="utf-8") as handle:
            counts = shell.store.write_export(handle)
        os.replace(tmp, output)
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        raise StudyError(f"cannot write {output}: {exc.strerror}") from None
    shell.err.print(
        Text(f"Exported {counts['cards']} cards and {counts['reviews']} reviews to {output}", style="good")
    )


@app.command("import")
@guarded
def import_(
    shell: Shell,
    file: Annotated[Path, typer.Argument(help="A file written by `study export`, or - for stdin.")],
) -> None:
    """Restore an export into an empty progress store (it never merges or overwrites)."""
    try:
        if str(file) == "-":
            text = sys.stdin.read() if sys.stdin is not None else ""
        else:
            text = file.read_text(encoding="utf-8")
    except OSError as exc:
        raise StudyError(f"cannot read {file}: {exc.strerror}") from None
    except UnicodeDecodeError:
        raise StudyError(f"{file} is not UTF-8 text") from None
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise StudyError(f"{file}:{exc.lineno}: not valid JSON: {exc.msg}") from None
    counts = shell.store.import_data(data)
    shell.out.print(
        Text(
            f"Imported {counts.get('cards', 0)} cards, {counts.get('reviews', 0)} reviews, "
            f"{counts.get('sessions', 0)} sessions, {counts.get('gap_ratings', 0)} gap ratings.",
            style="good",
        )
    )


# --- study config --------------------------------------------------------------------------------


@config_app.callback()
@guarded
def config_show(shell: Shell, ctx: typer.Context) -> None:
    """Show settings and where studycli reads and writes."""
    if ctx.invoked_subcommand is not None:
        return
    store = shell.store
    settings = store.settings()
    dirs = config.content_dirs(settings)
    table = Table.grid(padding=(0, 2))
    table.add_column(style="muted")
    table.add_column(overflow="fold")
    table.add_row("database", str(store.path))
    table.add_row(
        "today", config.today().isoformat() + (" (STUDY_TODAY)" if os.environ.get("STUDY_TODAY") else "")
    )
    for root, bundled in dirs.decks:
        table.add_row("decks", untrusted(f"{root}{'  (bundled)' if bundled else ''}"))
    for root, bundled in dirs.plans:
        table.add_row("plans", untrusted(f"{root}{'  (bundled)' if bundled else ''}"))
    shell.out.print(table)
    shell.out.print()
    settings_table = Table(title="Settings", title_justify="left")
    settings_table.add_column("key", style="accent")
    settings_table.add_column("value", overflow="fold")
    settings_table.add_column("meaning", style="muted", overflow="fold")
    for key, meaning in config.USER_SETTINGS.items():
        settings_table.add_row(key, untrusted(settings.get(key, "")), meaning)
    shell.out.print(settings_table)
    shell.out.print(
        Text("Change with `study config set KEY VALUE` or `study config unset KEY`.", style="muted")
    )


def _setting_key(key: str) -> str:
    if key not in config.USER_SETTINGS:
        raise StudyError(f"unknown setting {key!r}", "known settings: " + ", ".join(config.USER_SETTINGS))
    return key


@config_app.command("set")
@guarded
def config_set(
    shell: Shell,
    key: Annotated[str, typer.Argument(help="decks, plans, plan or plan_start.")],
    value: Annotated[str, typer.Argument(help="The new value.")],
) -> None:
    """Set a setting, e.g. `study config set decks ~/notes/decks`."""
    key = _setting_key(key)
    if key == config.SETTING_PLAN_START:
        value = config.parse_date(value, "plan_start").isoformat()
    if key in (config.SETTING_DECKS, config.SETTING_PLANS):
        missing = [str(p) for p in config.split_dirs(value) if not p.is_dir()]
        if missing:
            raise StudyError(f"not a folder: {', '.join(missing)}")
    if key == config.SETTING_PLAN:
        collection = shell.collection(shell.store.settings())
        if collection.plan(value) is None:
            raise StudyError(f"no plan called {value!r}", "see `study plan --list`")
    shell.store.set_setting(key, value)
    shell.out.print(Text.assemble(Text(f"{key} = ", style="good"), untrusted(value)))


@config_app.command("unset")
@guarded
def config_unset(shell: Shell, key: Annotated[str, typer.Argument(help="The setting to remove.")]) -> None:
    """Remove a setting, going back to its default."""
    key = _setting_key(key)
    removed = shell.store.delete_setting(key)
    shell.out.print(Text(f"{key} {'removed' if removed else 'was not set'}", style="good"))


def main() -> None:
    app()
