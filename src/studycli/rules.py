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
