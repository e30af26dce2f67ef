"""Where things live and what day it is: the only module that reads the environment.

* ``STUDY_HOME``   folder for the progress database (default: platformdirs' user data dir)
* ``STUDY_DECKS``  extra deck folders, separated by ``os.pathsep``
* ``STUDY_PLANS``  extra plan folders, separated by ``os.pathsep``
* ``STUDY_TODAY``  ``YYYY-MM-DD``: take this date as today (testing, catching up, travelling)
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from .errors import StudyError

APP_NAME = "studycli"
DB_NAME = "progress.db"
DEFAULT_PLAN = "ml-engineer-12w"

# Settings stored in the progress database (see `study config`).
SETTING_PLAN = "plan"
SETTING_PLAN_START = "plan_start"
SETTING_CHECK_SIZE = "check_size"
DEFAULT_CHECK_SIZE = 10
MAX_CHECK_SIZE = 200
SETTING_DECKS = "decks"
SETTING_PLANS = "plans"
SETTING_NEW_PER_DAY = "new_per_day"
SETTING_REVIEW_LIMIT = "review_limit"
SETTING_INTERVIEW = "interview_date"
SETTING_BUNDLED = "bundled"
SETTING_LEECH = "leech_threshold"
MAX_PER_DAY = 1000
USER_SETTINGS = {
    SETTING_DECKS: "extra deck folders, separated by '" + os.pathsep + "'",
    SETTING_PLANS: "extra plan folders, separated by '" + os.pathsep + "'",
    SETTING_PLAN: "the active plan's id (set it with `study plan --use`)",
    SETTING_PLAN_START: "the day the active plan started, YYYY-MM-DD",
    SETTING_CHECK_SIZE: "items in a `study check` when --size is not given (default: room for the day's new cards)",
    SETTING_NEW_PER_DAY: "new cards a day across all checks (default: the pace that finishes the plan on time)",
    SETTING_REVIEW_LIMIT: "reviews a day across checks and `study review` (default 200)",
    SETTING_INTERVIEW: "your interview day, YYYY-MM-DD (set it with `study plan --interview`)",
    SETTING_BUNDLED: "use the bundled decks and plans: yes or no (default yes; STUDY_BUNDLED=0 also turns them off)",
    SETTING_LEECH: "lapses at which a card is a leech: the check stops to offer edit or suspend (default 4)",
}


def data_dir(env: Mapping[str, str] | None = None) -> Path:
    env = os.environ if env is None else env
    home = env.get("STUDY_HOME")
    if home:
        return Path(home).expanduser()
    from platformdirs import user_data_dir  # imported late: `study --help` need not pay for it

    return Path(user_data_dir(APP_NAME, appauthor=False))


def db_path(env: Mapping[str, str] | None = None) -> Path:
    return data_dir(env) / DB_NAME


def cache_path(env: Mapping[str, str] | None = None) -> Path:
    """Parsed-deck cache: beside the database, so STUDY_HOME isolates it too."""
    return data_dir(env) / "cache" / "decks.json"


def step_cache_path(env: Mapping[str, str] | None = None) -> Path:
    """FSRS replay steps kept across runs (`stepcache.StepCache`), beside the deck cache."""
    return data_dir(env) / "cache" / "fsrs-steps.json"


def memory_cache_path(env: Mapping[str, str] | None = None) -> Path:
    """Each card's FSRS memory kept across runs (`stepcache.MemoryCache`), beside the deck cache."""
    return data_dir(env) / "cache" / "fsrs-memories.json"


# Dates a person can mean. Outside them, date arithmetic (a 13-week activity map, a plan's last
# week) would overflow Python's date range at year 1 or 9999: a clear message instead.
MIN_DATE = date(1900, 1, 1)
MAX_DATE = date(2999, 12, 31)


def parse_date(text: str, what: str = "date") -> date:
    try:
        value = date.fromisoformat(text.strip())
    except ValueError:
        raise StudyError(
            f"{what} {text!r} is not a date", "write it as YYYY-MM-DD, e.g. 2026-01-31"
        ) from None
    if not MIN_DATE <= value <= MAX_DATE:
        raise StudyError(
            f"{what} {text!r} is out of range",
            f"use a date from {MIN_DATE.isoformat()} to {MAX_DATE.isoformat()}",
        )
    return value


def today(env: Mapping[str, str] | None = None) -> date:
    env = os.environ if env is None else env
    forced = env.get("STUDY_TODAY")
    if forced:
        return parse_date(forced, "STUDY_TODAY")
    return date.today()


def split_dirs(value: str | None) -> list[Path]:
    if not value:
        return []
    return [Path(part).expanduser() for part in value.split(os.pathsep) if part.strip()]


def _bundled(name: str) -> Path:
    """Bundled content: inside the installed package, or the repository folder in a checkout."""
    packaged = Path(__file__).parent / "_content" / name
    if packaged.is_dir():
        return packaged
    return Path(__file__).resolve().parents[2] / name


@dataclass(frozen=True)
class ContentDirs:
    """Content roots in override order: later roots win when two files share an id."""

    decks: tuple[tuple[Path, bool], ...]  # (folder, bundled?)
    plans: tuple[tuple[Path, bool], ...]


_YES = ("1", "yes", "true", "on")
_NO = ("0", "no", "false", "off")


def parse_bool(text: str, what: str) -> bool:
    value = text.strip().lower()
    if value in _YES:
        return True
    if value in _NO:
        return False
    raise StudyError(f"{what} must be yes or no, not {text!r}", f"e.g. `study config set {what} no`")


def use_bundled(settings: Mapping[str, str], env: Mapping[str, str] | None = None) -> bool:
    """Bundled decks and plans are on unless STUDY_BUNDLED or the `bundled` setting says no.

    For people who study only their own material, and for tests that need a closed world.
    """
    env = os.environ if env is None else env
    forced = env.get("STUDY_BUNDLED")
    if forced is not None and forced.strip():
        return parse_bool(forced, "STUDY_BUNDLED")
    text = settings.get(SETTING_BUNDLED)
    return True if text is None else parse_bool(text, SETTING_BUNDLED)


def content_dirs(settings: Mapping[str, str], env: Mapping[str, str] | None = None) -> ContentDirs:
    env = os.environ if env is None else env
    bundled = use_bundled(settings, env)
    decks = [(_bundled("decks"), True)] if bundled else []
    decks += [(p, False) for p in split_dirs(settings.get(SETTING_DECKS))]
    decks += [(p, False) for p in split_dirs(env.get("STUDY_DECKS"))]
    plans = [(_bundled("plans"), True)] if bundled else []
    plans += [(p, False) for p in split_dirs(settings.get(SETTING_PLANS))]
    plans += [(p, False) for p in split_dirs(env.get("STUDY_PLANS"))]
    return ContentDirs(tuple(decks), tuple(plans))


def check_size(settings: Mapping[str, str]) -> int | None:
    """The `check_size` setting, or None when it is not set (the daily cap then decides)."""
    text = settings.get(SETTING_CHECK_SIZE)
    if text is None:
        return None
    return parse_check_size(text)


def parse_per_day(text: str, key: str) -> int:
    try:
        value = int(text.strip())
    except ValueError:
        value = -1
    if not 0 <= value <= MAX_PER_DAY:
        raise StudyError(
            f"{key} must be a whole number from 0 to {MAX_PER_DAY}, not {text!r}",
            f"fix it with `study config set {key} 10` or `study config unset {key}`",
        )
    return value


def per_day_setting(settings: Mapping[str, str], key: str) -> int | None:
    text = settings.get(key)
    return None if text is None else parse_per_day(text, key)


def interview_date(settings: Mapping[str, str]) -> date | None:
    text = settings.get(SETTING_INTERVIEW)
    if not text:
        return None
    return parse_date(text, "interview_date setting")


def parse_check_size(text: str) -> int:
    try:
        value = int(text.strip())
    except ValueError:
        value = 0
    if not 1 <= value <= MAX_CHECK_SIZE:
        raise StudyError(
            f"check_size must be a whole number from 1 to {MAX_CHECK_SIZE}, not {text!r}",
            "fix it with `study config set check_size 14` or `study config unset check_size`",
        )
    return value
