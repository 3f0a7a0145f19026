"""Citation markers read as a reply streams: whatever the pieces, what is given out adds up to
the whole reply's annotated text, and each kept marker goes out whole with its annotation."""

from __future__ import annotations

import random

import pytest

from assistants_server.tools.citations import CitedText, annotate

CALLS = [
    {"file_search": {"results": [{"file_id": "file-a", "content": [{"text": "the passage"}]}]}}
]
LINKS = {
    "sandbox:/mnt/data/clean.csv": "file-clean",
    "sandbox:/mnt/data/out/chart.png": "file-chart",
}
LINKED = [
    "Get it: [clean.csv](sandbox:/mnt/data/clean.csv). Also sandbox:/mnt/data/out/chart.png",
    "sandbox:/mnt/data/unknown.txt is not one, nor is sandbox: alone, so sand stays",
    "ends with the link sandbox:/mnt/data/clean.csv.",
]
REPLIES = [
    *LINKED,
    "The keeper is Oswin 【0:0†facts.txt】.",
    "Bad 【3:1†x】 here, [0:0†a] kept, a [link](x) and 【0:0】 too",
    "removed at the end 【9:9】",
    "removed 【9:9】before a word",
    "[not a marker] and a [1: left open",
    "cut short 【0",
    "plain text, nothing cited ",
]


@pytest.mark.parametrize("reply", REPLIES)
def test_any_cut_gives_the_whole_replys_text(reply: str) -> None:
    value, annotations = annotate(reply, CALLS, LINKS)
    cuts = random.Random(reply)
    for _ in range(300):
        cited, given, at = CitedText(CALLS, LINKS), [], 0
        while at < len(reply):
            size = cuts.randint(1, 5)
            given += cited.feed(reply[at : at + size])
            at += size
        given += cited.end()
        assert "".join(text for text, _ in given) == value == cited.value
        assert cited.annotations == annotations
        for text, annotation in given:
            if annotation is not None:
                assert text == annotation["text"]
                assert value[annotation["start_index"] : annotation["end_index"]] == text


def test_markers_kept_and_removed() -> None:
    value, annotations = annotate(REPLIES[len(LINKED) + 1], CALLS)
    assert value == "Bad here, [0:0†a] kept, a [link](x) and 【0:0】 too"
    assert [(a["text"], a["file_citation"]["file_id"]) for a in annotations] == [
        ("[0:0†a]", "file-a"),
        ("【0:0】", "file-a"),
    ]
    assert annotate("removed 【9:9】before", CALLS) == ("removed before", [])


def test_without_searches_text_goes_out_as_it_comes() -> None:
    cited = CitedText([])
    assert cited.feed("see 【0:0】 ") == [("see 【0:0】 ", None)]
    assert cited.end() == []


def test_links_to_files_the_code_made() -> None:
    value, annotations = annotate(LINKED[0], [], LINKS)
    assert value == LINKED[0]
    assert [(a["type"], a["text"], a["file_path"]["file_id"]) for a in annotations] == [
        ("file_path", "sandbox:/mnt/data/clean.csv", "file-clean"),
        ("file_path", "sandbox:/mnt/data/out/chart.png", "file-chart"),
    ]
    assert annotate(LINKED[1], [], LINKS) == (LINKED[1], [])
    [end] = annotate(LINKED[2], [], LINKS)[1]
    assert end["text"] == "sandbox:/mnt/data/clean.csv"  # the full stop is the sentence's
