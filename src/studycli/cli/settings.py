"""`study config`: where things live, and the few settings."""

import os
from typing import Annotated

import typer

from .. import config
from ..ui.console import untrusted
from .app import Shell, config_app, guarded


@config_app.callback()
@guarded
def config_show(shell: Shell, ctx: typer.Context) -> None:
    """Show settings and where studycli reads and writes."""
    from rich.table import Table
    from rich.text import Text

    from ..usecases.settings import effective  # not at the top: `--help` loads no use case

    if ctx.invoked_subcommand is not None:
        return
    context = shell.context(write=False)
    settings = context.settings
    dirs = config.content_dirs(settings)
    table = Table.grid(padding=(0, 2))
    table.add_column(style="muted")
    table.add_column(overflow="fold")
    table.add_row("database", str(context.store.path))
    table.add_row(
        "today", config.today().isoformat() + (" (STUDY_TODAY)" if os.environ.get("STUDY_TODAY") else "")
    )
    for root, bundled in dirs.decks:
        table.add_row("decks", untrusted(f"{root}{'  (bundled)' if bundled else ''}"))
    for root, bundled in dirs.plans:
        table.add_row("plans", untrusted(f"{root}{'  (bundled)' if bundled else ''}"))
    shell.out.print(table)
    shell.out.print()
    in_force = effective(context)
    settings_table = Table(title="Settings", title_justify="left")
    settings_table.add_column("key", style="accent")
    settings_table.add_column("value", overflow="fold")
    settings_table.add_column("in effect", overflow="fold")
    settings_table.add_column("meaning", style="muted", overflow="fold")
    for key, meaning in config.USER_SETTINGS.items():
        settings_table.add_row(key, untrusted(settings.get(key, "")), in_force.get(key, ""), meaning)
    shell.out.print(settings_table)
    shell.out.print(
        Text("Change with `study config set KEY VALUE` or `study config unset KEY`.", style="muted")
    )


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
    from rich.text import Text

    from ..usecases.settings import set_setting

    stored = set_setting(shell.context(), key, value)
    shell.out.print(Text.assemble(Text(f"{key} = ", style="good"), untrusted(stored)))


@config_app.command("unset")
@guarded
def config_unset(shell: Shell, key: Annotated[str, typer.Argument(help="The setting to remove.")]) -> None:
    """Remove a setting, going back to its default."""
    from rich.text import Text

    from ..usecases.settings import unset_setting

    removed = unset_setting(shell.context(), key)
    shell.out.print(Text(f"{key} {'removed' if removed else 'was not set'}", style="good"))
