"""`study config` as a use case: the values in force and where each came from; checked changes."""

from __future__ import annotations

from pathlib import Path

from .. import config
from ..daily import describe_cap
from ..errors import StudyError
from ..rules import LEECH_LAPSES
from .context import Context
from .day import load_day
from .plan import check_interview


def effective(ctx: Context) -> dict[str, str]:
    """The value each daily setting has today, and its source (your setting, derived, default)."""
    try:
        day = load_day(ctx.store, ctx.collection, ctx.settings, ctx.today)
    except StudyError:  # e.g. a plan setting that names no plan: the table still shows the rest
        return {}
    lim = day.limits
    out = {
        config.SETTING_NEW_PER_DAY: f"{lim.new_per_day} ({describe_cap(lim)})",
        config.SETTING_REVIEW_LIMIT: f"{lim.review_limit} "
        + ("(your setting)" if lim.review_source == "setting" else "(default)"),
        config.SETTING_CHECK_SIZE: f"{lim.check_size} "
        + ("(your setting)" if lim.size_source == "setting" else "(room for the day’s new cards at 70%)"),
        config.SETTING_BUNDLED: "yes" if config.use_bundled(ctx.settings) else "no",
        config.SETTING_LEECH: str(config.per_day_setting(ctx.settings, config.SETTING_LEECH) or LEECH_LAPSES)
        + (" (your setting)" if config.SETTING_LEECH in ctx.settings else " (default)"),
    }
    if lim.interview is not None:
        out[config.SETTING_INTERVIEW] = f"{lim.interview.isoformat()} (in {lim.days_to_interview} days)"
    return out


def setting_key(key: str) -> str:
    if key not in config.USER_SETTINGS:
        raise StudyError(f"unknown setting {key!r}", "known settings: " + ", ".join(config.USER_SETTINGS))
    return key


def checked_value(ctx: Context, key: str, value: str) -> str:
    """`value` in its stored form, or a StudyError saying what is wrong with it."""
    key = setting_key(key)
    if key == config.SETTING_PLAN_START:
        return config.parse_date(value, "plan_start").isoformat()
    if key == config.SETTING_CHECK_SIZE:
        return str(config.parse_check_size(value))
    if key in (config.SETTING_NEW_PER_DAY, config.SETTING_REVIEW_LIMIT):
        return str(config.parse_per_day(value, key))
    if key == config.SETTING_LEECH:
        number = config.parse_per_day(value, key)
        if number < 1:
            raise StudyError(f"{key} must be 1 or more, not {value!r}", f"e.g. `study config set {key} 4`")
        return str(number)
    if key == config.SETTING_BUNDLED:
        return "yes" if config.parse_bool(value, key) else "no"
    if key == config.SETTING_INTERVIEW:
        day = config.parse_date(value, "interview_date")
        start_text = ctx.settings.get(config.SETTING_PLAN_START)
        start = config.parse_date(start_text, "plan_start setting") if start_text else None
        check_interview(day, ctx.today, start)
        return day.isoformat()
    if key in (config.SETTING_DECKS, config.SETTING_PLANS):
        missing = [str(p) for p in config.split_dirs(value) if not Path(p).is_dir()]
        if missing:
            raise StudyError(f"not a folder: {', '.join(missing)}")
    if key == config.SETTING_PLAN and ctx.collection.plan(value) is None:
        raise StudyError(f"no plan called {value!r}", "see `study plan --list`")
    return value


def set_setting(ctx: Context, key: str, value: str) -> str:
    stored = checked_value(ctx, key, value)
    ctx.store.set_setting(key, stored)
    return stored


def unset_setting(ctx: Context, key: str) -> bool:
    return ctx.store.delete_setting(setting_key(key))
