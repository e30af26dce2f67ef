"""YAML with line numbers, so every diagnostic can name the line a person has to fix.

PyYAML's plain loaders drop positions. We compose the node tree once (which keeps marks), build the
Python value from it with the safe constructor, and record the line of every mapping key and
sequence item under its path, e.g. ``("weeks", 2, "topics", 0) -> 17``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import yaml

try:  # the C loader is several times faster and behaves the same for safe documents
    from yaml import CSafeLoader as _Loader
except ImportError:  # pragma: no cover - depends on how PyYAML was built
    from yaml import SafeLoader as _Loader  # type: ignore[assignment]

Path_ = tuple[Any, ...]


class YamlError(ValueError):
    def __init__(self, message: str, line: int) -> None:
        super().__init__(message)
        self.message = message
        self.line = line


@dataclass
class Located:
    """A loaded YAML value plus the 1-based line of each key and item, by path."""

    value: Any
    lines: dict[Path_, int] = field(default_factory=dict)
    first_line: int = 1

    def line(self, *path: Any) -> int:
        """Line of the deepest recorded prefix of `path` (so a bad value points near its key)."""
        for end in range(len(path), 0, -1):
            found = self.lines.get(tuple(path[:end]))
            if found is not None:
                return found
        return self.first_line


def load(text: str, first_line: int = 1) -> Located:
    """Parse one YAML document. `first_line` is where `text` starts in its file."""
    loader = _Loader(text)
    try:
        node = loader.get_single_node()
        if node is None:
            return Located(None, {}, first_line)
        value = loader.construct_document(node)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = first_line + (mark.line if mark else 0)
        problem = exc.problem or str(exc)
        if exc.context:
            problem = f"{problem} ({exc.context})"
        raise YamlError(f"invalid YAML: {problem}", line) from None
    except yaml.YAMLError as exc:
        raise YamlError(f"invalid YAML: {exc}", first_line) from None
    finally:
        loader.dispose()
    lines: dict[Path_, int] = {}
    _walk(node, (), lines, first_line)
    return Located(value, lines, first_line)


def _walk(node: yaml.Node, path: Path_, lines: dict[Path_, int], offset: int) -> None:
    if isinstance(node, yaml.MappingNode):
        for key_node, value_node in node.value:
            key = key_node.value
            # `days: {3: [...]}` keys are ints once constructed; record them the same way
            if (
                isinstance(key_node, yaml.ScalarNode)
                and isinstance(key, str)
                and key.isascii()
                and key.isdigit()
            ):
                key = int(key)
            child = (*path, key)
            lines[child] = offset + key_node.start_mark.line
            _walk(value_node, child, lines, offset)
    elif isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            child = (*path, index)
            lines[child] = offset + item.start_mark.line
            _walk(item, child, lines, offset)
