"""Walking a list route page by page in every way a client can, and comparing with the whole list.

The tests import `walk`; the v1 tests also send this file's source to the old SDK's interpreter,
so it uses only the standard library and the SDK's page objects (and no `__future__` import).
"""

from collections.abc import Callable
from typing import Any


def walk(list_page: Callable[..., Any]) -> list[str]:
    """What differs from the whole list when `list_page(**params)` (an SDK list method with its
    path arguments bound) is paged one item at a time: forward with the SDK's auto-pagination
    (`after`), backward with `before`, between two cursors, both orders. Empty when all agree."""
    problems: list[str] = []
    for order in ("asc", "desc"):
        whole = list_page(limit=100, order=order)
        full = [item.id for item in whole.data]
        if len(full) < 3 or whole.has_more:
            problems.append(f"{order}: the whole list is {full}, has_more={whole.has_more}")
            continue
        forward: list[str] = []
        for item in list_page(limit=1, order=order):  # the SDK follows `after=<last id>`
            forward.append(item.id)
            if len(forward) > len(full):
                break
        if forward != full:
            problems.append(f"{order}, after: {forward} instead of {full}")
        backward = [full[-1]]
        while len(backward) <= len(full):
            page = list_page(limit=1, order=order, before=backward[0])
            if not page.data:
                break
            backward.insert(0, page.data[0].id)
            if page.has_more != (backward[0] != full[0]):
                problems.append(f"{order}, before {backward[1]}: has_more={page.has_more}")
        if backward != full:
            problems.append(f"{order}, before: {backward} instead of {full}")
        between = list_page(limit=100, order=order, after=full[0], before=full[-1])
        if [item.id for item in between.data] != full[1:-1] or between.has_more:
            problems.append(f"{order}, after {full[0]} and before {full[-1]}: {between.data}")
        first, last = list_page(limit=1, order=order), list_page(order=order, after=full[-2])
        if not first.has_more or last.has_more or [item.id for item in last.data] != full[-1:]:
            problems.append(f"{order}: has_more {first.has_more} on the first page, {last}")
    return problems
