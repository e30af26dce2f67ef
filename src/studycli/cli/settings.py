"""`study config`: where things live, and the few settings."""

from __future__ import annotations

import os
from datetime import date
from typing import Annotated

import typer
from rich.table import Table
from rich.text import Text

from .. import config
from ..errors import StudyError
from ..ui.console import untrusted
from .app import Shell, config_app, guarded


@config_app.callback()
@guarded
def config_show(shell: Shell, ctx: typer.Context) -> None:
    """Show settings and where studycli reads and writes."""
    if ctx.invoked_subcommand is not None:
        return
    store = shell.reader
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
    effective = _effective(shell, settings)
    settings_table = Table(title="Settings", title_justify="left")
    settings_table.add_column("key", style="accent")
    settings_table.add_column("value", overflow="fold")
    settings_table.add_column("in effect", overflow="fold")
    settings_table.add_column("meaning", style="muted", overflow="fold")
    for key, meaning in config.USER_SETTINGS.items():
        settings_table.add_row(key, untrusted(settings.get(key, "")), effective.get(key, ""), meaning)
    shell.out.print(settings_table)
    shell.out.print(
        Text("Change with `study config set KEY VALUE` or `study config unset KEY`.", style="muted")
    )


def _effective(shell: Shell, settings: dict[str, str]) -> dict[str, str]:
    """The value each daily setting has today and where it came from (set, derived or default)."""
    from ..daily import describe_cap
    from ..usecases.day import load_day

    collection = shell.collection(settings)
    try:
        day = load_day(shell.reader, collection, settings, config.today())
    except StudyError:
        return {}
    lim = day.limits
    out = {
        config.SETTING_NEW_PER_DAY: f"{lim.new_per_day} ({describe_cap(lim)})",
        config.SETTING_REVIEW_LIMIT: f"{lim.review_limit} ({'your setting' if lim.review_source == 'setting' else 'default'})",
        config.SETTING_CHECK_SIZE: f"{lim.check_size} ({'your setting' if lim.size_source == 'setting' else 'room for the day’s new cards at 70%'})",
        config.SETTING_BUNDLED: "yes" if config.use_bundled(settings) else "no",
    }
    if lim.interview is not None:
        out[config.SETTING_INTERVIEW] = f"{lim.interview.isoformat()} (in {lim.days_to_interview} days)"
    return out


def _setting_key(key: str) -> str:
    if key not in config.USER_SETTINGS:
        raise StudyError(f"unknown setting {key!r}", "known settings: " + ", ".join(config.USER_SETTINGS))
    return key


@config_app.command("set")
@guarded
def config_set(
    shell: Shell,
    key: Annotated[
        str,
        typer.Argument(
            help="decks, plans, plan, plan_start, check_size, new_per_day, review_limit, interview_date or bundled."
        ),
    ],
    value: Annotated[str, typer.Argument(help="The new value.")],
) -> None:
    """Set a setting, e.g. `study config set decks ~/notes/decks`."""
    key = _setting_key(key)
    if key == config.SETTING_PLAN_START:
        value = config.parse_date(value, "plan_start").isoformat()
    if key == config.SETTING_CHECK_SIZE:
        value = str(config.parse_check_size(value))
    if key in (config.SETTING_NEW_PER_DAY, config.SETTING_REVIEW_LIMIT):
        value = str(config.parse_per_day(value, key))
    if key == config.SETTING_BUNDLED:
        value = "yes" if config.parse_bool(value, key) else "no"
    if key == config.SETTING_INTERVIEW:
        from .plan import check_interview

        day = config.parse_date(value, "interview_date")
        start = settings_start(shell.store.settings())
        check_interview(day, config.today(), start)
        value = day.isoformat()
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


def settings_start(settings: dict[str, str]) -> date | None:
    text = settings.get(config.SETTING_PLAN_START)
    return config.parse_date(text, "plan_start setting") if text else None


@config_app.command("unset")
@guarded
def config_unset(shell: Shell, key: Annotated[str, typer.Argument(help="The setting to remove.")]) -> None:
    """Remove a setting, going back to its default."""
    key = _setting_key(key)
    removed = shell.store.delete_setting(key)
    shell.out.print(Text(f"{key} {'removed' if removed else 'was not set'}", style="good"))
