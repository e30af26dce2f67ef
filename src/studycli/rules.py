"""Every rule constant of the method in one place, each with the reason it has its value.

SM-2's numbers are Wozniak's 1990 text; the others are this tool's policies. Modules import them
from here, so a rule cannot drift between the scheduler, the check, the report and the store.
"""

from __future__ import annotations

# --- SM-2 (Wozniak 1990) ----------------------------------------------------------------------------
QUALITY_MIN = 0
QUALITY_MAX = 5
INITIAL_EF = 2.5
MIN_EF = 1.3  # the E-Factor's floor
PASS_QUALITY = 3  # q >= 3 is a correct response: the card counts as recalled
REPEAT_BELOW = 4  # rule 7: an item graded below 4 comes back in the same session

# --- grading ---------------------------------------------------------------------------------------
MCQ_CORRECT = 4  # a right pick: recognised, not produced, so "good" rather than "easy"
MCQ_WRONG = 1  # a wrong pick: the answer was seen among the options, so "familiar", not "blank"

# --- weak cards ------------------------------------------------------------------------------------
LEECH_LAPSES = 4  # four times forgotten after being learnt: the card itself needs work

# --- typed answers (numeric, multiple answers, key points) ------------------------------------------
NUMERIC_WITHIN = 5  # within the tolerance
NUMERIC_WITHIN_SLOW = 4  # within the tolerance, but slower than the card's time target
NUMERIC_NEAR = 3  # within twice the tolerance
NUMERIC_WRONG = 1
NEAR_FACTOR = 2.0
MULTI_ALL_RIGHT = 4  # as a right single-answer multiple choice
MULTI_ONE_OFF = 2  # one right option missed, or one wrong option picked
MULTI_WRONG = 1
# Share of key points ticked -> grade, best first; anything above none is 2, none is 1.
RUBRIC_BANDS: tuple[tuple[float, int], ...] = ((1.0, 5), (0.75, 4), (0.5, 3))
RUBRIC_SOME = 2
RUBRIC_NONE = 1

# `study mock`: the round's clock when --minutes is not given.
MOCK_DEFAULT_MINUTES = 30
