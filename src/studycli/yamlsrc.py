"""YAML with line numbers, so every diagnostic can name the line a person has to fix.

PyYAML's plain loaders drop positions. We compose the node tree once (which keeps marks), build the
Python value from it with the safe constructor, and record the line of every mapping key and
sequence item under its path, e.g. ``("weeks", 2, "topics", 0) -> 17``.

Decks and plans are untrusted, so the loader is also bounded, and every failure is a `YamlError`
with a line, never a crash:

* no aliases (``*name``): a 400-byte "billion laughs" document would otherwise expand to
  gigabytes when built or walked; decks and plans never need them;
* nesting at most `MAX_DEPTH` levels (the C composer and the walk below recurse), and documents
  of at most `MAX_CHARS` characters;
* both are checked on the event stream, before any node tree is built;
* a value the safe constructor cannot build (``2026-02-30``, ``!!int abc``, ``!!bool maybe``, an
  integer of 5,000 digits) is reported at its own line.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import yaml

try:  # the C loader is several times faster and behaves the same for safe documents
    from yaml import CSafeLoader as _Base
except ImportError:  # pragma: no cover - depends on how PyYAML was built
    from yaml import SafeLoader as _Base  # type: ignore[assignment]

Path_ = tuple[Any, ...]

MAX_DEPTH = 32  # decks need 2 levels, plans 5
MAX_CHARS = 16 * 1024 * 1024

_OPEN = (yaml.MappingStartEvent, yaml.SequenceStartEvent)
_CLOSE = (yaml.MappingEndEvent, yaml.SequenceEndEvent)
# What a constructor raises for a value it cannot build, besides YAMLError itself: ValueError for
# 2026-02-30, KeyError for `!!bool maybe`, AttributeError for `!!timestamp abc`… PyYAML's safe
# constructors are not written for hostile input, so any exception from one is the value's fault.
_VALUE_ERRORS = (Exception,)


class YamlError(ValueError):
    def __init__(self, message: str, line: int) -> None:
        super().__init__(message)
        self.message = message
        self.line = line


def _mark_line(mark: Any) -> int:
    """A YAML mark's 0-based line (0 when libyaml gives no mark)."""
    return int(getattr(mark, "line", 0) or 0)


class _Loader(_Base):  # type: ignore[misc,unused-ignore]
    """The safe loader, with constructor failures tied to the node that caused them."""

    def construct_object(self, node: yaml.Node, deep: bool = False) -> Any:
        try:
            return super().construct_object(node, deep)
        except yaml.YAMLError:
            raise
        except _VALUE_ERRORS as exc:
            kind = str(node.tag).rsplit(":", 1)[-1]
            shown = node.value if isinstance(node.value, str) else ""
            if len(shown) > 40:
                shown = shown[:37] + "…"
            if isinstance(exc, (ValueError, OverflowError)):
                detail = str(exc).split(";")[0][:100]
            else:
                detail = "not a valid value"
            raise yaml.constructor.ConstructorError(
                None, None, f"cannot read {shown!r} as {kind}: {detail}", node.start_mark
            ) from None


@dataclass
class Located:
    """A loaded YAML value plus the 1-based line of each key and item, by path."""

    value: Any
    lines: dict[Path_, int] = field(default_factory=dict)
    first_line: int = 1

    def line(self, *path: Any) -> int:
        """Line of the deepest recorded prefix of `path` (so a bad value points near its key)."""
        for end in range(len(path), 0, -1):
            try:
                found = self.lines.get(tuple(path[:end]))
            except TypeError:  # an unhashable part: no line was recorded for it
                continue
            if found is not None:
                return found
        return self.first_line


def _error(exc: yaml.YAMLError, text: str, first_line: int) -> YamlError:
    if isinstance(exc, yaml.MarkedYAMLError):
        mark = exc.problem_mark or exc.context_mark
        line = first_line + (mark.line if mark else 0)
        problem = exc.problem or str(exc)
        if exc.context:
            problem = f"{problem} ({exc.context})"
        return YamlError(f"invalid YAML: {problem}", line)
    if isinstance(exc, yaml.reader.ReaderError):
        line = first_line + text.count("\n", 0, max(0, exc.position))
        return YamlError(f"invalid YAML: character #x{exc.character:04x} is not allowed", line)
    return YamlError(f"invalid YAML: {exc}", first_line)


def _check_events(text: str, first_line: int) -> None:
    """Reject aliases and deep nesting by reading the event stream (flat, no tree, no recursion)."""
    loader = _Base(text)
    depth = 0
    try:
        while loader.check_event():
            event = loader.get_event()
            if isinstance(event, _OPEN):
                depth += 1
                if depth > MAX_DEPTH:
                    raise YamlError(
                        f"invalid YAML: nested more than {MAX_DEPTH} levels deep",
                        first_line + _mark_line(event.start_mark),
                    )
            elif isinstance(event, _CLOSE):
                depth -= 1
            elif isinstance(event, yaml.AliasEvent):
                raise YamlError(
                    f"invalid YAML: aliases (*{event.anchor}) are not allowed in decks and plans; "
                    "write the value out",
                    first_line + _mark_line(event.start_mark),
                )
    except yaml.YAMLError as exc:
        raise _error(exc, text, first_line) from None
    finally:
        loader.dispose()


def load(text: str, first_line: int = 1) -> Located:
    """Parse one YAML document. `first_line` is where `text` starts in its file."""
    if len(text) > MAX_CHARS:
        raise YamlError(f"YAML part is larger than {MAX_CHARS // (1024 * 1024)} MiB", first_line)
    _check_events(text, first_line)
    loader = _Loader(text)
    try:
        node = loader.get_single_node()
        if node is None:
            return Located(None, {}, first_line)
        value = loader.construct_document(node)
    except yaml.YAMLError as exc:
        raise _error(exc, text, first_line) from None
    except RecursionError:  # not reachable within MAX_DEPTH; kept so it can never be a crash
        raise YamlError("invalid YAML: nested too deeply", first_line) from None
    finally:
        loader.dispose()
    lines: dict[Path_, int] = {}
    _walk(node, (), lines, first_line)
    return Located(value, lines, first_line)


def _walk(node: yaml.Node, path: Path_, lines: dict[Path_, int], offset: int) -> None:
    """Record lines by path. Linear in the node count: aliases were rejected, so no node is shared."""
    if isinstance(node, yaml.MappingNode):
        for index, (key_node, value_node) in enumerate(node.value):
            if isinstance(key_node, yaml.ScalarNode):
                key: Any = key_node.value
                # `days: {3: [...]}` keys are ints once constructed; record them the same way
                if key.isascii() and key.isdigit() and len(key) < 10:
                    key = int(key)
            else:  # a complex key (`? [a, b]`) has no usable path; keep its position distinct
                key = ("?", index)
            child = (*path, key)
            lines[child] = offset + key_node.start_mark.line
            _walk(value_node, child, lines, offset)
    elif isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            child = (*path, index)
            lines[child] = offset + item.start_mark.line
            _walk(item, child, lines, offset)
