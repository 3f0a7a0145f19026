"""Citation markers in a reply become `file_citation` annotations, as the reply streams.

The model cites a file_search result by writing its marker, `【{call}:{result}†{filename}】`
(see tools/file_search.py). Each marker that names a real result stays in the text and is
annotated with the result's file, as OpenAI's replies were; a marker that names no result is
removed (with one of the spaces around it), so none is left raw. The filename part is optional
(`【0:1】`), and ASCII brackets (`[0:1†notes.md]`) are read too, since smaller models often
write those.

A link to a file the run's code made, `sandbox:/mnt/data/NAME` (see tools/code_interpreter.py),
gets a `file_path` annotation with that file's id, as OpenAI's did.

`CitedText` reads the reply piece by piece and gives out only text that can no longer change:
what might be the start of a marker (and a space before it) is held until the marker is whole
or proves not to be one. So what was streamed, added up, is the final text, and each kept
marker goes out in one piece with its annotation, as OpenAI sent them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from assistants_server.tools.file_search import NAME

_NAME_CHARS = 200  # a marker's filename part is at most this long
_MARKER = re.compile(
    rf"【(\d+):(\d+)(?:†[^】\n]{{0,{_NAME_CHARS}}})?】|\[(\d+):(\d+)†[^\]\n]{{0,{_NAME_CHARS}}}\]"
)
# what a marker looks like before it is whole
_OPENING = re.compile(
    rf"【(?:\d+(?::(?:\d+(?:†[^】\n]{{0,{_NAME_CHARS}}})?)?)?)?"
    rf"|\[(?:\d+(?::(?:\d+(?:†[^\]\n]{{0,{_NAME_CHARS}}})?)?)?)?"
)
SANDBOX = "sandbox:/mnt/data/"
_LINK = re.compile(r"sandbox:/mnt/data/[^\s()\[\]<>\"'`]+")
_REMOVED_BEFORE = (" ", ".", ",", "")  # a removed marker followed by these takes a space with it
QUOTE_CHARS = 200  # of the cited passage, kept as v1's `quote`

Piece = tuple[str, dict[str, Any] | None]  # text given out, and the annotation it carries


@dataclass
class CitedText:
    """A reply's text as it streams, with the annotations of its markers (indexes into
    `value`). `calls` are the run's file_search calls, whose results the markers name."""

    calls: list[dict[str, Any]]
    links: dict[str, str] = field(default_factory=dict)  # sandbox paths -> file ids
    value: str = ""
    annotations: list[dict[str, Any]] = field(default_factory=list)
    _held: str = ""

    def feed(self, text: str) -> list[Piece]:
        """What of the reply, `text` added, can be given out now."""
        if not self.calls and not self.links and not self._held:
            self.value += text
            return [(text, None)] if text else []
        self._held += text
        return self._release(final=False)

    def end(self) -> list[Piece]:
        """The reply is over: the rest of it."""
        return self._release(final=True)

    def _release(self, final: bool) -> list[Piece]:
        out: list[Piece] = []
        held = self._held
        while held:
            start = self._next_opening(held)
            if start >= 0 and held[start] == "s":  # a link, or the start of one
                link = self._link(held, start, final)
                if link is None:  # may yet become one, or go on
                    self._give(out, held[:start])
                    held = held[start:]
                    break
                end, annotation = link
                self._give(out, held[:start])
                self._give(out, held[start:end], annotation)
                held = held[end:]
                continue
            if start < 0:  # no marker ahead; a last space waits for what follows it
                cut = len(held) - 1 if not final and held.endswith(" ") else len(held)
                self._give(out, held[:cut])
                held = held[cut:]
                break
            marker = _MARKER.match(held, start)
            if marker is None:
                if not final and _OPENING.fullmatch(held, start):  # may yet become one
                    cut = start - 1 if held[start - 1 : start] == " " else start
                    self._give(out, held[:cut])
                    held = held[cut:]
                    break
                self._give(out, held[: start + 1])  # a bracket, not a marker
                held = held[start + 1 :]
                continue
            before, after = held[:start], held[marker.end() : marker.end() + 1]
            annotation = self._annotation(marker)
            if annotation is None:  # removed
                if before.endswith(" "):
                    if not after and not final:  # what follows decides the space
                        cut = start - 1
                        self._give(out, held[:cut])
                        held = held[cut:]
                        break
                    if after in _REMOVED_BEFORE:
                        before = before[:-1]
                self._give(out, before)
            else:
                self._give(out, before)
                self._give(out, marker.group(0), annotation)
            held = held[marker.end() :]
        self._held = held
        return out

    def _next_opening(self, text: str) -> int:
        """Where the first marker or link might start; -1 if nowhere."""
        found = [i for i in (text.find("【"), text.find("[")) if i >= 0 and self.calls]
        if self.links:
            link = text.find("sandbox:")
            if link < 0:  # the text may end in the start of one
                link = next(
                    (i for i in range(max(0, len(text) - 7), len(text))
                     if "sandbox:".startswith(text[i:])),
                    -1,
                )  # fmt: skip
            found += [link] if link >= 0 else []
        return min(found) if found else -1

    def _link(self, text: str, start: int, final: bool) -> tuple[int, dict[str, Any] | None] | None:
        """A link at `start`: where it ends and its annotation (None: names no file made);
        None if it may still grow (or become one)."""
        match = _LINK.match(text, start)
        if match is None:
            if not final and SANDBOX.startswith(text[start:]):
                return None
            return start + 1, None  # not a link: an "s" like any other
        if match.end() == len(text) and not final:
            return None
        path = match.group(0)
        while path not in self.links and path[-1:] in ".,;:!?":
            path = path[:-1]  # a sentence's end is not the name's
        file_id = self.links.get(path)
        if file_id is None:
            return start + len(path), None
        return start + len(path), {
            "type": "file_path",
            "text": path,
            "file_path": {"file_id": file_id},
        }

    def _give(self, out: list[Piece], text: str, annotation: dict[str, Any] | None = None) -> None:
        if not text:
            return
        if annotation is not None:
            annotation = {
                **annotation,
                "start_index": len(self.value),
                "end_index": len(self.value) + len(text),
            }
            self.annotations.append(annotation)
        self.value += text
        if annotation is None and out and out[-1][1] is None:
            out[-1] = (out[-1][0] + text, None)
        else:
            out.append((text, annotation))

    def _annotation(self, marker: re.Match[str]) -> dict[str, Any] | None:
        call = int(marker.group(1) or marker.group(3))
        result = _result(self.calls, call, int(marker.group(2) or marker.group(4)))
        if result is None:
            return None
        return {
            "type": "file_citation",
            "text": marker.group(0),
            "file_citation": {
                "file_id": result["file_id"],
                "quote": result["content"][0]["text"][:QUOTE_CHARS],
            },
        }


def annotate(
    text: str, calls: list[dict[str, Any]], links: dict[str, str] | None = None
) -> tuple[str, list[dict[str, Any]]]:
    """`text` with unknown markers removed, and the annotations of the markers it keeps and
    the links it makes."""
    cited = CitedText(calls, links or {})
    cited.feed(text)
    cited.end()
    return cited.value, cited.annotations


def _result(calls: list[dict[str, Any]], call: int, result: int) -> dict[str, Any] | None:
    if call >= len(calls):
        return None
    results = calls[call][NAME].get("results") or []
    return results[result] if result < len(results) else None
