"""`study mock`: a timed practice round that leaves the schedule untouched (parse, call, render)."""

from typing import Annotated

import typer

from ..errors import StudyError
from ..rules import MOCK_DEFAULT_MINUTES
from ..ui.console import print_json
from . import complete
from .app import Shell, app, guarded


@app.command("mock")
@guarded
def mock_command(
    shell: Shell,
    minutes: Annotated[
        int, typer.Option("--minutes", "-m", min=1, max=600, help="Length of the round.")
    ] = MOCK_DEFAULT_MINUTES,
    count: Annotated[
        int | None,
        typer.Option(
            "--count",
            "-n",
            min=1,
            max=200,
            help="Questions (default: one per 3 minutes).",
            show_default=False,
        ),
    ] = None,
    area: Annotated[list[str] | None, complete.area_option()] = None,
    topic: Annotated[list[str] | None, complete.topic_option()] = None,
    every_topic: Annotated[
        bool, typer.Option("--all", help="Draw from every topic, not only those the plan has reached.")
    ] = False,
    seed: Annotated[
        int | None,
        typer.Option(
            "--seed", help="Draw the same round again (default: one round a day).", show_default=False
        ),
    ] = None,
    per_question: Annotated[
        float | None,
        typer.Option(
            "--per-question",
            min=1.0,
            help="Seconds per question (default: the round split evenly).",
            show_default=False,
        ),
    ] = None,
    preview: Annotated[
        bool, typer.Option("--preview", help="Show the questions' topics; ask nothing.")
    ] = False,
    as_json: Annotated[bool, typer.Option("--json", help="With --preview: print JSON.")] = False,
) -> None:
    """A mock interview round: timed questions across your topics, graded as in a check, and the
    schedule left untouched (it is practice under pressure, not spaced repetition).

    Questions lean towards topics you rated dunno or unsure and cards you are least likely to
    recall, never two in a row from one deck. On a terminal each question shows its clock and the
    round's; when a question's time is up its answer is shown (a choice or number not given in
    time counts as wrong). `q` or Ctrl-C ends the round; every answer given is kept. `study report`
    shows your rounds over time.
    """
    if as_json and not preview:
        raise StudyError("--json goes with --preview", "use `study mock --preview --json`")
    from ..usecases.mock_round import MockRecorder, plan_round  # the memory model: only when used
    from .studying import stdin_is_terminal

    ctx = shell.context(write=not preview)
    rnd = plan_round(
        ctx,
        minutes=minutes,
        count=count,
        areas=area or [],
        topics=topic or [],
        every_topic=every_topic,
        seed=seed,
        per_question=per_question,
    )
    if preview:
        if as_json:
            payload = {
                "date": ctx.today.isoformat(),
                "seed": rnd.seed,
                "seconds_per_question": round(rnd.seconds_per_question, 1),
                "items": [
                    {"card_id": i.card.id, "deck": i.card.deck_id, "kind": i.card.kind.value}
                    | ({"options": [o.text for o in i.shown.options]} if i.shown.options else {})
                    for i in rnd.items
                ],
            }
            print_json(payload)
        else:
            from .studying import print_preview

            print_preview(
                shell, rnd.items, rnd.day, False, "Mock round", "no cards to draw a mock round from"
            )
        return
    from rich.text import Text

    from ..ui.check_view import Outcome
    from ..ui.mock_view import render_round, run_round
    from ..ui.prompt import KeyPrompter, LinePrompter

    per = rnd.seconds_per_question
    shell.out.print(
        Text(
            f"Mock round: {len(rnd.items)} question(s), {per / 60:.1f} min each"
            + ("" if stdin_is_terminal() else " (untimed: answers come from a script)")
            + ". Your schedule is not changed.",
            style="heading",
        )
    )
    plan_id = rnd.day.active.plan.id if rnd.day.active.plan else None
    record = MockRecorder(ctx, len(rnd.items), plan_id)
    prompter = KeyPrompter(shell.out) if stdin_is_terminal() else LinePrompter(shell.out, shell.err)
    outcome = Outcome("interrupted")
    try:
        outcome = run_round(shell.out, prompter, rnd.items, rnd.day.decks, record, per)
    finally:
        summary = record.finish(outcome.status == "completed")
    cards = {c.id: c for d in ctx.collection.decks for c in d.cards}
    render_round(shell.out, summary, len(rnd.items), outcome, cards)
    if outcome.status == "interrupted":
        raise typer.Exit(130)
