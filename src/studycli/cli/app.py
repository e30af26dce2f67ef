"""The Typer app, the per-command Shell, and the guard that turns errors into messages."""

from __future__ import annotations

import contextlib
import errno
import functools
import inspect
import os
import sys
import traceback
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Annotated, Any, NoReturn, TypeVar

import typer

from .. import __version__, config
from ..errors import StudyError
from ..ui.console import make_console, untrusted
from ..vocab import Severity

if TYPE_CHECKING:  # imported when a command runs: `--help` needs no store, parser or use case
    from rich.console import Console

    from ..model import Collection
    from ..store import Store
    from ..usecases.context import Context

HELP = """\
Spaced-repetition study for AI / ML / LLM engineering interviews.

Every study day: `study check` (new cards from today's place in your plan, 70%, and due
reviews, 30%), then `study review` for the rest of what is due, so that what you learn is still
there on interview day. `study report` says where you stand: pace, workload in minutes, and the
estimated recall on interview day (`study plan --interview YYYY-MM-DD`). `study mock` is a timed
practice round; `study gaps` a know / unsure / dunno self-assessment.

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

    _out: Console | None = None
    _err: Console | None = None
    _store: Store | None = None
    _reader: Store | None = None

    @property
    def out(self) -> Console:
        """The console on stdout, made on first use: a command that writes JSON never needs one."""
        if self._out is None:
            self._out = make_console()
        return self._out

    @property
    def err(self) -> Console:
        if self._err is None:
            self._err = make_console(stderr=True)
        return self._err

    @property
    def store(self) -> Store:
        """The progress store, open for writing (created on first use)."""
        if self._store is None:
            from ..store import Store

            self._store = Store(config.db_path())
            self._notify(self._store)
        return self._store

    @property
    def reader(self) -> Store:
        """A read-only snapshot of the store, for commands that only read: it never writes to
        the data folder (works on a read-only one, never creates the store)."""
        if self._reader is None:
            from ..store import Store

            self._reader = Store(config.db_path(), readonly=True)
            self._notify(self._reader)
        return self._reader

    def _notify(self, store: Store) -> None:
        if not store.notices:
            return
        from rich.text import Text

        for notice in store.notices:
            self.err.print(Text.assemble(Text("warning: ", style="warn"), Text(notice)), soft_wrap=True)

    def context(self, write: bool = True) -> Context:
        """The use cases' view of the world: a writable store, or a read-only one for commands
        that only look; the content with warnings about broken files said once; today."""
        from ..usecases.context import Context

        store = self.store if write else self.reader
        settings = store.settings()
        collection = self.collection(settings)
        self.warn_content(collection)
        return Context(store, collection, settings, config.today())

    def collection(self, settings: dict[str, str]) -> Collection:
        from ..content import load_collection

        return load_collection(config.content_dirs(settings), config.cache_path())

    def warn_content(self, collection: Collection) -> None:
        errors = [d for d in collection.diagnostics if d.severity == Severity.ERROR]
        if errors:
            from rich.text import Text

            self.err.print(
                Text(
                    f"warning: {len(errors)} problem(s) in your decks or plans; the broken parts are "
                    "skipped. Run `study lint` for details.",
                    style="warn",
                ),
                soft_wrap=True,
            )

    def close(self) -> None:
        for store in (self._store, self._reader):
            if store is not None:
                store.close()


# Write failures that are the environment's, not a bug: the output goes nowhere, exit 1.
OUTPUT_ERRORS = {errno.ENOSPC, errno.EDQUOT, errno.EFBIG, errno.EIO}


def guarded(func: F) -> F:
    """Run a command with a Shell; turn StudyError (and surprises) into a message and exit code."""

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        shell = Shell()
        try:
            result = func(shell, *args, **kwargs)
            sys.stdout.flush()  # a full disk must fail here, where it gets a message
            return result
        except StudyError as exc:
            from rich.text import Text

            # soft_wrap: paths and commands in messages must stay whole for copy and paste;
            # untrusted: messages quote file names, ids and settings
            shell.err.print(
                Text.assemble(Text("error: ", style="bad bold"), untrusted(exc.message)), soft_wrap=True
            )
            if exc.hint:
                shell.err.print(
                    Text.assemble(Text("hint: ", style="muted"), untrusted(exc.hint)), soft_wrap=True
                )
            raise typer.Exit(exc.exit_code) from None
        except (typer.Exit, typer.Abort):
            raise
        except BrokenPipeError:  # `study export | head`: the reader left; not an error worth a word
            with contextlib.suppress(OSError):
                os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
            raise typer.Exit(141) from None
        except KeyboardInterrupt:
            from rich.text import Text

            shell.err.print(Text("interrupted", style="warn"))
            raise typer.Exit(130) from None
        except OSError as exc:
            if exc.errno not in OUTPUT_ERRORS:
                _internal_error(shell, exc)
            # stdout cannot take more (disk full, quota, I/O error): say so on stderr, exit 1, and
            # point stdout at /dev/null so the interpreter's final flush does not fail again
            with contextlib.suppress(OSError):
                os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
            from rich.text import Text

            with contextlib.suppress(OSError):
                shell.err.print(
                    Text.assemble(
                        Text("error: ", style="bad bold"),
                        Text(f"cannot write the output: {exc.strerror or exc}"),
                    ),
                    soft_wrap=True,
                )
            raise typer.Exit(1) from None
        except Exception as exc:  # a bug: say so plainly, details on request
            _internal_error(shell, exc)
        finally:
            shell.close()

    # Typer reads the signature: hide the injected `shell` parameter.
    signature = inspect.signature(func, eval_str=True)
    params = list(signature.parameters.values())[1:]
    wrapper.__signature__ = signature.replace(parameters=params)  # type: ignore[attr-defined]
    # Typer also calls typing.get_type_hints, which reads `__annotations__` (copied above as
    # strings, under `from __future__ import annotations`) and compiles each string again: give it
    # the values evaluated just now. That second evaluation was most of the ~9 ms Typer spent
    # building the command tree on every run.
    wrapper.__annotations__ = {p.name: p.annotation for p in params if p.annotation is not p.empty}
    if signature.return_annotation is not signature.empty:
        wrapper.__annotations__["return"] = signature.return_annotation
    return wrapper  # type: ignore[return-value]


def _internal_error(shell: Shell, exc: BaseException) -> NoReturn:
    from rich.text import Text

    if os.environ.get("STUDY_DEBUG"):
        traceback.print_exc()
    shell.err.print(
        Text.assemble(
            Text("internal error: ", style="bad bold"),
            untrusted(f"{type(exc).__name__}: {exc}"),
            Text(
                "\nYour progress is safe. Run with STUDY_DEBUG=1 for details and report it.",
                style="muted",
            ),
        )
    )
    raise typer.Exit(70) from None


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


def main() -> None:
    app()
