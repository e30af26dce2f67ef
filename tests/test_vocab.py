"""The domain vocabulary and the rule constants agree with what the store's schema froze."""

from __future__ import annotations

import json
import sqlite3

from studycli import rules, schema, sm2, stats
from studycli.vocab import Rating, SessionKind, SessionStatus, Severity, Source, values


def test_enums_match_the_schema_frozen_with_its_migration() -> None:
    # A new member needs a new migration: this fails until schema.py's frozen tuples are updated.
    assert values(SessionKind) == schema.SESSION_KINDS
    assert values(SessionStatus) == schema.SESSION_STATUSES
    assert values(Source) == schema.REVIEW_SOURCES
    assert values(Rating) == schema.GAP_RATINGS
    assert rules.MIN_EF == schema.FROZEN_MIN_EF


def test_a_member_is_its_text_everywhere() -> None:
    assert SessionKind.CHECK == "check" and str(SessionKind.REVIEW) == "review"
    assert f"{Source.NEW}" == "new" and f"{Severity.ERROR:>7}" == "  error"
    assert json.dumps({"kind": SessionKind.MOCK}) == '{"kind": "mock"}'
    conn = sqlite3.connect(":memory:")
    assert conn.execute("SELECT ?", (Rating.DUNNO,)).fetchone() == ("dunno",)


def test_every_module_uses_the_one_set_of_rules() -> None:
    assert sm2.MIN_EF is rules.MIN_EF and stats.EF_FLOOR == rules.MIN_EF
    assert stats.RECALLED == rules.PASS_QUALITY and stats.LEECH_LAPSES == rules.LEECH_LAPSES
    assert rules.MCQ_WRONG < rules.PASS_QUALITY <= rules.MCQ_CORRECT
    assert rules.MCQ_CORRECT >= rules.REPEAT_BELOW  # a right pick does not come back
