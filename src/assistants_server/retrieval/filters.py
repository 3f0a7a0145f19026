"""Attribute filters of vector store search: comparisons (`eq`, `ne`, `gt`, `gte`, `lt`,
`lte`, `in`, `nin`) combined with `and` / `or`, evaluated against a file's attributes.

A comparison on a key the file lacks is false (`ne` and `nin` too), and an ordering
comparison between a number and a string is false rather than an error.
"""

from __future__ import annotations

import operator
from collections.abc import Callable
from typing import Any

_ORDERING: dict[str, Callable[[Any, Any], bool]] = {
    "gt": operator.gt,
    "gte": operator.ge,
    "lt": operator.lt,
    "lte": operator.le,
}


def _comparable(left: Any, right: Any) -> bool:
    numbers = (int, float)
    both_numbers = isinstance(left, numbers) and isinstance(right, numbers)
    return both_numbers or (isinstance(left, str) and isinstance(right, str))


def _compare(kind: str, actual: Any, expected: Any) -> bool:
    if kind == "eq":
        return bool(actual == expected)
    if kind == "ne":
        return bool(actual != expected)
    if kind in ("in", "nin"):
        found = isinstance(expected, list) and actual in expected
        return found if kind == "in" else not found
    return _comparable(actual, expected) and _ORDERING[kind](actual, expected)


def matches(condition: dict[str, Any], attributes: dict[str, Any]) -> bool:
    kind = condition["type"]
    if kind == "and":
        return all(matches(part, attributes) for part in condition["filters"])
    if kind == "or":
        return any(matches(part, attributes) for part in condition["filters"])
    if condition["key"] not in attributes:
        return False
    return _compare(kind, attributes[condition["key"]], condition["value"])
