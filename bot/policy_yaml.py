"""Reading a policy file's YAML: duplicate keys refused, and each problem placed on its line.

Its own module so that PyYAML loads only when a policy file is read (a console one-shot against
the built-in policies never pays for it)."""

from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from bot.policy import PolicyError


def parse(text: str, path: Path) -> Any:
    try:
        return yaml.load(text, Loader=_UniqueKeyLoader)  # a SafeLoader that refuses duplicate keys
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        where = f" line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        raise PolicyError(f"{path}{where}: not valid YAML ({getattr(error, 'problem', error)})") from error


def located(text: str, error: ValidationError) -> str:
    """Each validation problem with the line of the YAML node it is about."""
    root = yaml.compose(text)
    return "; ".join(
        f"line {_line_of(root, detail['loc'])}: {_dotted(detail['loc'])}: {detail['msg']}"
        for detail in error.errors()
    )


class _UniqueKeyLoader(yaml.SafeLoader):
    """PyYAML keeps the last of two equal keys silently; a policy with two `grants:` must not load."""

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict[Any, Any]:
        seen: dict[Any, int] = {}
        for key_node, _ in node.value:
            key = self.construct_object(key_node, deep=deep)
            try:
                first = seen.get(key)
            except TypeError:  # an unhashable key: SafeLoader reports it
                continue
            if first is not None:
                raise yaml.constructor.ConstructorError(
                    None, None, f"duplicate key '{key}' (first on line {first})", key_node.start_mark
                )
            seen[key] = key_node.start_mark.line + 1
        return super().construct_mapping(node, deep)


def _dotted(location: tuple[int | str, ...]) -> str:
    return ".".join(str(part) for part in location) or "top level"


def _line_of(node: yaml.Node | None, location: tuple[int | str, ...]) -> int:
    """The line of the deepest YAML node on a validation error's path (1-based)."""
    line = node.start_mark.line + 1 if node is not None else 1
    for part in location:
        if isinstance(node, yaml.MappingNode):
            node = next((value for key, value in node.value if key.value == part), None)
        elif isinstance(node, yaml.SequenceNode) and isinstance(part, int) and part < len(node.value):
            node = node.value[part]
        else:
            break
        if node is None:
            break
        line = node.start_mark.line + 1
    return line
