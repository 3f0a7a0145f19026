"""Citation markers in a reply become `file_citation` annotations.

The model cites a file_search result by writing its marker, `【{call}:{result}†{filename}】`
(see tools/file_search.py). Each marker that names a real result stays in the text and is
annotated with the result's file, as OpenAI's replies were; a marker that names no result is
removed, so none is left raw. The filename part is optional (`【0:1】`), and ASCII brackets
(`[0:1†notes.md]`) are read too, since smaller models often write those.
"""

from __future__ import annotations

import re
from typing import Any

from assistants_server.tools.file_search import NAME

_MARKER = re.compile(r"【(\d+):(\d+)(?:†[^】\n]*)?】|\[(\d+):(\d+)†[^\]\n]*\]")
QUOTE_CHARS = 200  # of the cited passage, kept as v1's `quote`


def annotate(text: str, calls: list[dict[str, Any]]) -> tuple[str, list[dict[str, Any]]]:
    """`text` with unknown markers removed, and the annotations of the markers it keeps
    (indexes are into the returned text)."""
    if not calls or ("【" not in text and "†" not in text):
        return text, []
    kept: list[str] = []
    annotations: list[dict[str, Any]] = []
    length, last = 0, 0
    for match in _MARKER.finditer(text):
        call_index = int(match.group(1) or match.group(3))
        result_index = int(match.group(2) or match.group(4))
        result = _result(calls, call_index, result_index)
        before = text[last : match.start()]
        kept.append(before)
        length += len(before)
        last = match.end()
        if result is None:  # removed, with one of the spaces around it
            if before.endswith(" ") and text[last : last + 1] in (" ", ".", ",", ""):
                kept[-1], length = before[:-1], length - 1
            continue
        kept.append(match.group(0))
        annotations.append(
            {
                "type": "file_citation",
                "text": match.group(0),
                "start_index": length,
                "end_index": length + len(match.group(0)),
                "file_citation": {
                    "file_id": result["file_id"],
                    "quote": result["content"][0]["text"][:QUOTE_CHARS],
                },
            }
        )
        length += len(match.group(0))
    kept.append(text[last:])
    return "".join(kept), annotations


def _result(calls: list[dict[str, Any]], call: int, result: int) -> dict[str, Any] | None:
    if call >= len(calls):
        return None
    results = calls[call][NAME].get("results") or []
    return results[result] if result < len(results) else None
