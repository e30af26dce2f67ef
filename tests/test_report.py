"""`report.build` on a hand-built history, the pinned JSON schema, and valid Markdown tables."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st
from markdown_it import MarkdownIt

from studycli import daily, gaps, memory, report
from studycli.model import (
    Card,
    CardState,
    Checkpoint,
    Deck,
    GapRating,
    MockAnswer,
    Plan,
    ReviewRow,
    SessionRow,
    Week,
)

T = date(2026, 3, 11)


def day(offset: int) -> date:
    return T + timedelta(days=offset)


def cards(deck_id: str, n: int) -> tuple[Card, ...]:
    return tuple(
        Card(id=f"{deck_id}#{i}", deck_id=deck_id, question=f"Q{i} | pipe [red]x[/red]", answer="A")
        for i in range(n)
    )


DECKS = (
    Deck("f/opt", "Optimisation", "Foundations", subtopics=("sgd", "adam"), cards=cards("f/opt", 10)),
    Deck("c/trees", "Trees", "Classical ML", subtopics=("gini",), cards=cards("c/trees", 10)),
)
PLAN = Plan(
    "p",
    "Two weeks",
    "",
    (Week(1, "Start", ("f/opt",), (), (), 0), Week(2, "Trees", ("c/trees",), (), (), 0)),
)


# Started on day(-10), so today is week 2, day 4: the week-1 day-7 checkpoint fell on day(-4), the
# week-2 day-3 one on day(-1), and the week-2 day-6 one is still ahead.
CHECKPOINT_PLAN = Plan(
    "p",
    "Two weeks",
    "",
    (
        Week(1, "Start", ("f/opt",), checkpoints=(Checkpoint(1), Checkpoint(7, (), 0.4))),
        Week(
            2,
            "Trees",
            ("c/trees",),
            checkpoints=(
                Checkpoint(3, ("Foundations",), 0.6, "Below 50%: add a week"),
                Checkpoint(6, ("Foundations",), 0.9),
            ),
        ),
    ),
)


def rv(n: int, offset: int, card: str, q: int, source: str = "new", session: int = 1) -> ReviewRow:
    return ReviewRow(
        n, session, "ts", day(offset), card, card.split("#")[0], source, q, None, False, None, CardState(card)
    )


def inputs(**overrides: object) -> report.ReportInputs:
    states = {
        "f/opt#0": CardState("f/opt#0", due=day(0)),
        "f/opt#1": CardState("f/opt#1", due=day(2)),
        "f/opt#2": CardState("f/opt#2", due=day(-3), lapses=5, ef=1.3),
        "c/trees#0": CardState("c/trees#0", due=day(1)),
        "gone#1": CardState("gone#1", due=day(0)),  # orphaned progress: not counted
    }
    reviews = [
        rv(1, -1, "f/opt#0", 5),
        rv(2, -1, "f/opt#1", 2),
        rv(3, 0, "f/opt#2", 1, "review", 2),
        rv(4, 0, "c/trees#0", 4, "new", 2),
    ]
    sessions = [
        SessionRow(1, "check", day(-1), "ts", "ts", "p", 2, "completed"),
        SessionRow(2, "check", day(0), "ts", "ts", "p", 2, "completed"),
    ]
    ratings = [
        GapRating("f/opt", "sgd", "know", day(-1), 9, 1),
        GapRating("f/opt", "adam", "dunno", day(-1), 9, 2),
    ]
    base: dict[str, object] = dict(
        today=T,
        decks=DECKS,
        states=states,
        reviews=reviews,
        sessions=sessions,
        ratings=ratings,
        plan=PLAN,
        plan_start=day(-1),
        new_available=7,
    )
    base.update(overrides)
    return report.ReportInputs(**base)  # type: ignore[arg-type]


def test_build_figures_from_a_hand_built_history() -> None:
    r = report.build(inputs())
    assert r.plan is not None and (r.plan.status, r.plan.week, r.plan.day_of_week) == ("active", 1, 2)
    assert r.plan.theme == "Start" and r.plan.today_topics == ("f/opt",)
    pace = r.plan.pace
    assert pace is not None and pace.total_cards == 20 and pace.plan_days == 14
    assert (pace.days_done, pace.seen) == (2, 4)  # day index 1, checked today; 4 plan cards seen
    assert r.due_now == 2  # f/opt#0 today + f/opt#2 overdue; the orphan is ignored
    assert (r.streak.current, r.streak.longest, r.streak.checked_today) == (2, 2, True)
    assert [s.items.total for s in r.sessions] == [2, 2]
    assert r.sessions[0].items.rate == 0.5
    areas = {a.area: a for a in r.areas}
    assert [a.area for a in r.areas] == ["Foundations", "Classical ML"]  # plan order
    assert (areas["Foundations"].cards_seen, areas["Foundations"].cards_total) == (3, 10)
    assert areas["Foundations"].recall.rate == pytest.approx(1 / 3)
    assert areas["Foundations"].readiness == 0.5 and areas["Classical ML"].readiness is None
    assert r.forecast[0] == (T, 2) and r.forecast[1] == (day(1), 1) and r.due_30 == 4
    assert [lc.card_id for lc in r.leeches] == ["f/opt#2"]
    assert r.heatmap.count(T) == 2
    assert not r.empty


def test_area_filter_and_since_window() -> None:
    r = report.build(inputs(area="Classical ML", since=day(0)))
    assert [a.area for a in r.areas] == ["Classical ML"]
    assert r.due_now == 0 and r.leeches == ()
    assert [s.session_id for s in r.sessions] == [2] and r.sessions[0].items.total == 1
    assert r.since == day(0)


def test_empty_store_and_unstarted_plan() -> None:
    r = report.build(inputs(states={}, reviews=[], sessions=[], ratings=[], plan_start=None))
    assert r.empty and r.plan is not None and r.plan.status == "not-started" and r.plan.pace is None
    assert r.streak.current == 0 and r.due_30 == 0
    md = report.to_markdown(r)
    assert "Nothing yet" in md and "starts with your first `study check`" in md
    assert report.build(inputs(plan=None)).plan is None


def test_calibration_from_ratings_and_recall() -> None:
    reviews = [rv(i, 0, f"f/opt#{i}", 1) for i in range(6)]
    ratings = [
        GapRating("f/opt", "sgd", "know", day(-1), 9, 1),
        GapRating("f/opt", "adam", "know", day(-1), 9, 2),
    ]
    r = report.build(inputs(reviews=reviews, ratings=ratings))
    assert [(c.topic, c.kind, c.reviews) for c in r.calibration] == [("f/opt", "overconfident", 6)]


def test_checkpoints_compare_latest_readiness_with_the_most_recent_passed_target() -> None:
    r = report.build(inputs(plan=CHECKPOINT_PLAN, plan_start=day(-10)))
    assert r.checkpoints == (
        # Classical ML's latest checkpoint is the all-areas one of week 1; nothing rated there yet
        report.CheckpointResult(
            day(-4), 1, 0.4, "", (report.CheckpointArea("Classical ML", None, False),), None
        ),
        # Foundations: one of two subtopics rated know on day(-1), the day of its week-2 checkpoint
        report.CheckpointResult(
            day(-1),
            2,
            0.6,
            "Below 50%: add a week",
            (report.CheckpointArea("Foundations", 0.5, True),),
            0.5,
        ),
    )
    assert [c.met for c in r.checkpoints] == [None, False]
    md = report.to_markdown(r)
    assert (
        "\nCheckpoints:\n\n"
        "- Classical ML not rated yet vs target 40% at the week-1 checkpoint (2026-03-07)\n"
        "- Foundations 50% ready vs target 60% at the week-2 checkpoint (2026-03-10): below target\n"
        "- Week-2 checkpoint: Below 50%: add a week\n"
        "- Rate the areas again with `study gaps --all --area NAME` to measure against the target.\n"
    ) in md


def test_a_checkpoint_is_met_or_stale_and_only_passed_targets_count() -> None:
    ratings = [GapRating("f/opt", s, "know", day(-5), 9, n) for n, s in enumerate(("sgd", "adam"))]
    r = report.build(inputs(plan=CHECKPOINT_PLAN, plan_start=day(-10), ratings=ratings, area="Foundations"))
    (only,) = r.checkpoints  # --area leaves Classical ML out; the day-6 checkpoint is in the future
    assert (only.week, only.readiness, only.met) == (2, 1.0, True)
    assert only.areas == (report.CheckpointArea("Foundations", 1.0, False),)  # rated before it
    assert report.checkpoint_lines(r)[0] == (
        "Foundations 100% ready vs target 60% at the week-2 checkpoint (2026-03-10): met, not re-rated since",
        "met",
    )
    # before any checkpoint with a target has passed, and before the plan starts: nothing to compare
    assert report.build(inputs(plan=CHECKPOINT_PLAN, plan_start=day(-2))).checkpoints == ()
    assert report.build(inputs(plan=CHECKPOINT_PLAN, plan_start=None)).checkpoints == ()


# The documented schema (README "Report JSON"). Changing it is a breaking change: bump
# report.SCHEMA_VERSION and the README together.
SCHEMA = {
    "": {
        "schema",
        "date",
        "since",
        "area",
        "plan",
        "today",
        "sessions",
        "areas",
        "calibration",
        "forecast",
        "activity",
        "leeches",
        "suspended",
        "mocks",
        "interview",
        "retention",
        "workload",
        "checkpoints",
    },
    "checkpoints[]": {"date", "week", "target", "readiness", "met", "note", "areas"},
    "checkpoints[].areas[]": {"area", "readiness", "met", "reassessed"},
    "interview": {"date", "days_left", "new_deadline", "unseen_at_deadline", "needed_per_day"},
    "retention": {"model", "estimate", "cards", "now", "at_interview", "areas"},
    "retention.areas[]": {"area", "cards", "now", "at_interview"},
    "workload": {
        "due_now",
        "overdue",
        "due_next_7_days",
        "new_per_day",
        "review_limit",
        "items_per_day",
        "minutes_per_day",
        "seconds_per_item",
        "seconds_measured",
    },
    "plan": {
        "id",
        "title",
        "status",
        "start",
        "week",
        "weeks",
        "day_of_week",
        "theme",
        "today_topics",
        "pace",
    },
    "plan.pace": {
        "status",
        "total_cards",
        "plan_days",
        "days_done",
        "expected_seen",
        "seen",
        "delta_cards",
        "delta_days",
        "needed_per_day",
        "overdue_reviews",
    },
    "today": {"due_now", "new_available", "streak", "longest_streak", "checked_today"},
    "sessions[]": {
        "date",
        "status",
        "items",
        "score",
        "new_items",
        "new_score",
        "review_items",
        "review_score",
    },
    "areas[]": {
        "area",
        "cards_total",
        "cards_seen",
        "recall",
        "recall_reviews",
        "readiness",
        "subtopics",
        "know",
        "unsure",
        "dunno",
    },
    "calibration[]": {"topic", "area", "self_score", "rated_subtopics", "recall", "reviews", "kind"},
    "forecast": {"days", "next_30_days"},
    "forecast.days[]": {"date", "due"},
    "activity": {"start", "end", "days"},
    "activity.days[]": {"date", "reviews"},
    "leeches[]": {"card_id", "deck", "question", "lapses", "ef"},
    "suspended[]": {"card_id", "deck", "question", "lapses"},
    "mocks[]": {"date", "questions", "score", "mean_seconds", "timed_out"},
}


def test_json_keys_are_pinned() -> None:
    reviews = [rv(i, 0, f"f/opt#{i}", 1) for i in range(6)]
    ratings = [
        GapRating("f/opt", "sgd", "know", day(-1), 9, 1),
        GapRating("f/opt", "adam", "know", day(-1), 9, 2),
    ]
    limits = daily.limits(
        today=T,
        plan_cards=None,
        plan_last_day=None,
        seen=set(),
        today_reviews=[],
        interview=T + timedelta(days=30),
    )
    attempts = [memory.Attempt(r.card_id, r.day, r.quality) for r in reviews]
    built = report.build(
        inputs(
            reviews=reviews,
            ratings=ratings,
            limits=limits,
            attempts=attempts,
            suspended=frozenset({"f/opt#1"}),
            mock_answers=[MockAnswer(7, day(-1), "f/opt#0", "f/opt", 4, 95.0, False)],
            plan=CHECKPOINT_PLAN,
            plan_start=day(-10),
        )
    )
    data = report.to_json(built)
    assert data["schema"] == report.SCHEMA_VERSION == 3
    found = {
        "": set(data),
        "interview": set(data["interview"]),
        "retention": set(data["retention"]),
        "retention.areas[]": set(data["retention"]["areas"][0]),
        "workload": set(data["workload"]),
        "plan": set(data["plan"]),
        "plan.pace": set(data["plan"]["pace"]),
        "today": set(data["today"]),
        "sessions[]": set(data["sessions"][0]),
        "areas[]": set(data["areas"][0]),
        "calibration[]": set(data["calibration"][0]),
        "forecast": set(data["forecast"]),
        "forecast.days[]": set(data["forecast"]["days"][0]),
        "activity": set(data["activity"]),
        "activity.days[]": set(data["activity"]["days"][0]),
        "leeches[]": set(data["leeches"][0]),
        "suspended[]": set(data["suspended"][0]),
        "mocks[]": set(data["mocks"][0]),
        "checkpoints[]": set(data["checkpoints"][0]),
        "checkpoints[].areas[]": set(data["checkpoints"][0]["areas"][0]),
    }
    assert found == SCHEMA
    assert len(data["forecast"]["days"]) == report.FORECAST_DAYS
    assert data["activity"]["days"][-1]["date"] == T.isoformat()
    assert data["sessions"][0]["score"] == 0.0 and data["areas"][1]["readiness"] is None
    assert data["checkpoints"][1] == {
        "date": "2026-03-10",
        "week": 2,
        "target": 0.6,
        "readiness": 1.0,
        "met": True,
        "note": "Below 50%: add a week",
        "areas": [{"area": "Foundations", "readiness": 1.0, "met": True, "reassessed": True}],
    }


def tables(md: str) -> list[list[list[str]]]:
    """Every table markdown-it finds, as rows of rendered cell texts (header row first)."""
    found: list[list[list[str]]] = []
    row: list[str] = []
    for tok in MarkdownIt("commonmark").enable("table").parse(md):
        if tok.type == "table_open":
            found.append([])
        elif tok.type == "tr_open":
            row = []
        elif tok.type == "tr_close":
            found[-1].append(row)
            row = []
        elif tok.type in ("th_open", "td_open"):
            row.append("")
        elif tok.type == "inline" and found and row:  # the cell as it reads once rendered
            row[-1] = "".join(c.content for c in tok.children or () if c.type in ("text", "code_inline"))
    return found


def test_markdown_renders_as_valid_tables_with_escaped_deck_text() -> None:
    md = report.to_markdown(report.build(inputs()))
    pipe_rows = [line for line in md.splitlines() if line.startswith("| ")]
    found = tables(md)
    # every pipe row the report wrote is part of a parsed table (none fell out as paragraphs)
    assert sum(len(t) for t in found) == len(pipe_rows) - len(found)  # minus one delimiter row each
    assert len(found) == 4  # checks, areas, forecast, weak items
    for table in found:
        assert len({len(row) for row in table}) == 1  # every row has the header's cell count
    leech_table = found[-1]
    assert leech_table[1][0] == "Q2 | pipe [red]x[/red]"  # one cell: the pipe was escaped; markup literal
    assert "```text" in md and "Mon " in md


def test_month_labels_never_overlap_and_end_with_the_current_month() -> None:
    from studycli import stats

    for today in (date(2026, 11, 23), date(2026, 3, 1), date(2027, 1, 4)):
        heat = stats.heatmap([], today, weeks=13)
        line = report.month_labels(heat)
        names = line.split()
        last_monday = today - timedelta(days=today.weekday())
        assert names[-1] == last_monday.strftime("%b")
        assert len(line) <= 2 * heat.weeks + 2  # fits above the grid
        assert len(names) == len(set(names)) and all(len(n) == 3 for n in names)  # none mangled


def test_describe_pace_says_how_far_off_and_what_pace_finishes() -> None:
    from studycli import stats

    behind = report.describe_pace(stats.pace(280, 28, day_index=9, checked_today=False, seen=60))
    assert (
        behind
        == "behind by 30 new card(s) (about 3.0 day(s)): 60 met, 90 planned by now; 12 new a day finishes on time"
    )
    on = report.describe_pace(stats.pace(280, 28, day_index=0, checked_today=False, seen=2))
    assert on.startswith("on track for new cards (2 met, 0 planned by now)")
    # New cards on time say nothing about the reviews that keep them: the debt is named.
    debt = report.describe_pace(stats.pace(280, 28, day_index=0, checked_today=False, seen=2), overdue=172)
    assert debt.startswith("on track for new cards (2 met, 0 planned by now), but 172 review(s) overdue")
    done = report.describe_pace(stats.pace(280, 28, day_index=40, checked_today=False, seen=280))
    assert "finishes on time" not in done


RATED = st.lists(
    st.tuples(
        st.sampled_from([("f/opt", "sgd"), ("f/opt", "adam"), ("c/trees", "gini")]),
        st.sampled_from(["know", "unsure", "dunno"]),
        st.integers(min_value=-12, max_value=0),
    ),
    max_size=12,
)


@given(RATED)
def test_the_report_over_the_standing_ratings_is_the_report_over_all(rated: list) -> None:
    """The use case hands the report only the standing rating per subtopic (`latest_gap_ratings`):
    readiness, calibration and the checkpoints' "rated since" must come out as from the whole
    history."""
    ratings = [GapRating(d, sub, rating, day(off), 9, n) for n, ((d, sub), rating, off) in enumerate(rated)]
    current = gaps.latest(ratings)
    standing = [
        r
        for r in ratings
        if current.get((r.deck_id, r.subtopic)) == r.rating
        and (r.day, r.seq)
        == max((o.day, o.seq) for o in ratings if (o.deck_id, o.subtopic) == (r.deck_id, r.subtopic))
    ]
    whole = inputs(plan=CHECKPOINT_PLAN, plan_start=day(-10), ratings=ratings)
    assert report.build(whole) == report.build(
        inputs(plan=CHECKPOINT_PLAN, plan_start=day(-10), ratings=standing)
    )


@given(st.lists(st.tuples(st.integers(min_value=-120, max_value=0), st.integers(0, 5)), max_size=30))
def test_the_report_over_its_window_and_counted_activity_is_the_report_over_all(graded: list) -> None:
    """The use case reads only the report's window of grades and counts the activity map in
    SQLite (`grades_per_day`): the report must be the one built from the whole log."""
    # A sitting's grades carry its day (the check records every grade under the day it began).
    reviews = [rv(n, off, f"f/opt#{n % 10}", q, "review", 200 + off) for n, (off, q) in enumerate(graded, 1)]
    sessions = [
        SessionRow(200 + off, "check", day(off), "ts", "ts", "p", 10, "completed")
        for off in sorted({o for o, _ in graded})
    ]
    since = T - timedelta(days=report.RECALL_DAYS - 1)
    counts: dict[date, int] = {}
    for r in reviews:
        counts[r.day] = counts.get(r.day, 0) + 1
    whole = report.build(inputs(reviews=reviews, sessions=sessions))
    window = [r for r in reviews if r.day >= since]
    assert report.build(inputs(reviews=window, sessions=sessions, activity=counts)) == whole


def test_estimated_recall_lists_areas_in_deck_order_even_when_an_areas_first_deck_is_unseen() -> None:
    more = Deck("f/more", "More", "Foundations", cards=cards("f/more", 2))
    model = {cid: memory.Recall(5.0, day(-2)) for cid in ("c/trees#0", "f/more#0")}  # f/opt unseen
    r = report.build(inputs(decks=(*DECKS, more), recall_model=model))
    assert r.retention is not None
    assert [a.area for a in r.retention.areas] == ["Foundations", "Classical ML"]
    assert (r.retention.cards, [a.cards for a in r.retention.areas]) == (2, [1, 1])
