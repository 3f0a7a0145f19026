"""Vector store search through the official SDK (v2), against a real server: ranking, scores,
result limits, score thresholds, attribute filters, several queries, files without
embeddings, and text far into a large file."""

from __future__ import annotations

from typing import Any

import httpx
import openai
import pytest
from dirty_equals import IsFloat

from tests.conftest import MAX_UPLOAD_BYTES
from tests.contract.knowledge import (
    EMBEDDINGS_MODEL,
    add_text,
    error_of,
    upload_text,
    wait_for_file,
)
from tests.fake_model_server import FakeModelServer

TOPICS = {
    "bees.txt": "Honeybees dance to tell the hive where nectar flowers grow.",
    "ships.txt": "Container ships cross the ocean carrying steel boxes of cargo.",
    "bread.txt": "Sourdough bread rises slowly because wild yeast ferments the dough.",
    "trains.txt": "Night trains run between capitals while passengers sleep in bunks.",
}


def topical_store(client: openai.OpenAI) -> tuple[str, dict[str, str]]:
    """A store holding one short file per topic; returns its id and file ids by name."""
    store = client.vector_stores.create(name="topics")
    ids = {}
    for name, text in TOPICS.items():
        added = add_text(client, store.id, text, name)
        assert added.status == "completed"
        ids[name] = added.id
    return store.id, ids


class TestRanking:
    def test_the_file_with_the_answer_comes_first(
        self, client: openai.OpenAI, http: httpx.Client
    ) -> None:
        store_id, ids = topical_store(client)
        query = "Why does sourdough bread rise with wild yeast?"
        response = http.post(f"vector_stores/{store_id}/search", json={"query": query})
        assert response.status_code == 200, response.text
        page = response.json()
        assert page == {
            "object": "vector_store.search_results.page",
            "search_query": [query],
            "data": page["data"],
            "has_more": False,
            "next_page": None,
        }
        top = page["data"][0]
        assert top == {
            "file_id": ids["bread.txt"],
            "filename": "bread.txt",
            "score": IsFloat(ge=0, le=1),
            "attributes": top["attributes"],
            "content": [{"type": "text", "text": TOPICS["bread.txt"]}],
        }
        assert top["attributes"] in ({}, None)
        assert top["score"] > 0

        results = client.vector_stores.search(store_id, query=query).data
        assert results[0].file_id == ids["bread.txt"]
        scores = [r.score for r in results]
        assert all(0.0 <= score <= 1.0 for score in scores)
        assert scores == sorted(scores, reverse=True)
        assert len({r.file_id for r in results}) == len(results)  # one chunk per short file

    def test_the_text_itself_scores_one(self, client: openai.OpenAI) -> None:
        """A query that is a chunk's whole text is first, and fully relevant, both lexically
        and by vector: the top score of 1.0."""
        store_id, ids = topical_store(client)
        results = client.vector_stores.search(store_id, query=TOPICS["ships.txt"]).data
        assert results[0].file_id == ids["ships.txt"]
        assert results[0].score == pytest.approx(1.0)
        assert all(r.score < 1.0 for r in results[1:])

    @pytest.mark.parametrize(
        ("query", "name"),
        [
            ("honeybees nectar hive", "bees.txt"),
            ("container ships ocean cargo", "ships.txt"),
            ("night trains passengers", "trains.txt"),
        ],
    )
    def test_each_topic_finds_its_file(self, client: openai.OpenAI, query: str, name: str) -> None:
        store_id, ids = topical_store(client)
        results = client.vector_stores.search(store_id, query=query).data
        assert results[0].file_id == ids[name]
        assert results[0].filename == name

    def test_max_num_results(self, client: openai.OpenAI) -> None:
        store = client.vector_stores.create(name="many")
        for n in range(5):
            add_text(client, store.id, f"Lanterns glow number {n} in the harbour.", f"{n}.txt")
        everything = client.vector_stores.search(store.id, query="lanterns harbour").data
        assert len(everything) == 5
        again = client.vector_stores.search(store.id, query="lanterns harbour").data
        assert [r.file_id for r in again] == [r.file_id for r in everything]  # ties: stable
        limited = client.vector_stores.search(store.id, query="lanterns harbour", max_num_results=2)
        assert [r.file_id for r in limited.data] == [r.file_id for r in everything[:2]]
        one = client.vector_stores.search(store.id, query="lanterns", max_num_results=1)
        assert len(one.data) == 1

    @pytest.mark.parametrize("value", [0, 51])
    def test_max_num_results_out_of_range(self, http: httpx.Client, value: int) -> None:
        store = http.post("vector_stores", json={"name": "x"}).json()
        body = {"query": "anything", "max_num_results": value}
        error = error_of(http.post(f"vector_stores/{store['id']}/search", json=body), 400)
        assert error["param"] == "max_num_results"

    @pytest.mark.parametrize(
        "filters",
        [
            pytest.param({"type": "regex", "key": "a", "value": "b"}, id="unknown-type"),
            pytest.param({"type": "eq", "value": "b"}, id="no-key"),
            pytest.param({"type": "and"}, id="no-filters"),
        ],
    )
    def test_malformed_filters_are_400(self, http: httpx.Client, filters: dict[str, Any]) -> None:
        store = http.post("vector_stores", json={"name": "x"}).json()
        body = {"query": "anything", "filters": filters}
        error = error_of(http.post(f"vector_stores/{store['id']}/search", json=body), 400)
        assert str(error["param"]).startswith("filters")

    def test_score_threshold(self, client: openai.OpenAI) -> None:
        store_id, _ = topical_store(client)
        query = "bread dough yeast cargo ocean"
        everything = client.vector_stores.search(store_id, query=query).data
        assert len(everything) >= 2
        threshold = (everything[0].score + everything[-1].score) / 2
        kept = client.vector_stores.search(
            store_id, query=query, ranking_options={"score_threshold": threshold}
        ).data
        expected = [(r.file_id, r.score) for r in everything if r.score >= threshold]
        assert [(r.file_id, r.score) for r in kept] == expected
        assert 0 < len(kept) < len(everything)
        none = client.vector_stores.search(
            store_id, query="zzz unmatched qqq", ranking_options={"score_threshold": 0.5}
        ).data
        assert all(r.score >= 0.5 for r in none)

    def test_several_queries(self, client: openai.OpenAI, http: httpx.Client) -> None:
        store_id, ids = topical_store(client)
        queries = ["honeybees nectar", "night trains"]
        page = http.post(f"vector_stores/{store_id}/search", json={"query": queries}).json()
        assert page["search_query"] == queries
        found = [r["file_id"] for r in page["data"]]
        assert set(found[:2]) == {ids["bees.txt"], ids["trains.txt"]}
        sdk = client.vector_stores.search(store_id, query=queries).data
        assert {r.file_id for r in sdk[:2]} == {ids["bees.txt"], ids["trains.txt"]}

    def test_empty_store_finds_nothing(self, client: openai.OpenAI) -> None:
        store = client.vector_stores.create(name="empty")
        assert client.vector_stores.search(store.id, query="anything").data == []


FILES_WITH_ATTRIBUTES: dict[str, dict[str, Any]] = {
    "red.txt": {"team": "red", "year": 2021, "draft": False},
    "blue.txt": {"team": "blue", "year": 2023, "draft": True},
    "green.txt": {"team": "green", "year": 2025, "draft": False},
}


def eq(key: str, value: Any, kind: str = "eq") -> dict[str, Any]:
    return {"type": kind, "key": key, "value": value}


FILTERS = [
    (eq("team", "red"), {"red.txt"}),
    (eq("team", "red", "ne"), {"blue.txt", "green.txt"}),
    (eq("year", 2021, "gt"), {"blue.txt", "green.txt"}),
    (eq("year", 2023, "gte"), {"blue.txt", "green.txt"}),
    (eq("year", 2023, "lt"), {"red.txt"}),
    (eq("year", 2023, "lte"), {"red.txt", "blue.txt"}),
    (eq("team", ["red", "green"], "in"), {"red.txt", "green.txt"}),
    (eq("team", ["red"], "nin"), {"blue.txt", "green.txt"}),
    (eq("draft", True), {"blue.txt"}),
    ({"type": "and", "filters": [eq("year", 2021, "gt"), eq("draft", False)]}, {"green.txt"}),
    ({"type": "or", "filters": [eq("team", "red"), eq("year", 2025)]}, {"red.txt", "green.txt"}),
    (
        {
            "type": "or",
            "filters": [
                {"type": "and", "filters": [eq("team", "blue"), eq("draft", True)]},
                eq("year", 2021, "lte"),
            ],
        },
        {"blue.txt", "red.txt"},
    ),
    (eq("team", "purple"), set()),
]


def test_filters_on_attributes(client: openai.OpenAI) -> None:
    store = client.vector_stores.create(name="filtered")
    names = {}
    for name, attributes in FILES_WITH_ATTRIBUTES.items():
        text = f"The quarterly budget of the {attributes['team']} team was approved."
        added = add_text(client, store.id, text, name, attributes=attributes)
        assert added.attributes == attributes
        names[added.id] = name
    unfiltered = client.vector_stores.search(store.id, query="quarterly budget").data
    assert {names[r.file_id] for r in unfiltered} == set(FILES_WITH_ATTRIBUTES)
    for filters, expected in FILTERS:
        results = client.vector_stores.search(
            store.id,
            query="quarterly budget",
            filters=filters,  # type: ignore[arg-type]
        ).data
        assert {names[r.file_id] for r in results} == expected, filters
        assert all(r.attributes == FILES_WITH_ATTRIBUTES[names[r.file_id]] for r in results)


def drain_embedding_failures(fake: FakeModelServer, left: int) -> None:
    """Use up scripted embeddings failures nobody consumed, so later tests are not affected."""
    with httpx.Client(base_url=fake.base_url, timeout=10) as raw:
        for _ in range(left):
            body = {"model": EMBEDDINGS_MODEL, "input": ["drain"]}
            if raw.post("embeddings", json=body).status_code == 200:
                return


def test_file_without_embeddings_completes_and_is_found_lexically(
    client: openai.OpenAI, fake_model: FakeModelServer
) -> None:
    store = client.vector_stores.create(name="lexical")
    marker = "xylophonist"
    text = f"The {marker} tuned every bar of the marimba before the concert."
    uploaded = upload_text(client, text, "concert.txt")
    failures = 3
    seen = len(fake_model.embedding_requests(EMBEDDINGS_MODEL))
    fake_model.script_embeddings_failure(EMBEDDINGS_MODEL, 404, times=failures)
    try:
        client.vector_stores.files.create(store.id, file_id=uploaded.id)
        done = wait_for_file(client, store.id, uploaded.id)
    finally:
        drain_embedding_failures(fake_model, failures)
    sent = fake_model.embedding_requests(EMBEDDINGS_MODEL)[seen:]
    mine = [n for n, body in enumerate(sent) if marker in str(body.get("input"))]
    assert mine, "the server never asked for the file's embeddings"
    assert all(n < failures for n in mine), "some of the file's embeddings succeeded"

    assert done.status == "completed"
    assert done.last_error is None
    results = client.vector_stores.search(store.id, query=f"{marker} marimba").data
    assert [r.file_id for r in results] == [uploaded.id]
    assert 0 < results[0].score <= 1
    assert marker in results[0].content[0].text


def test_text_at_the_end_of_a_large_file_is_found(client: openai.OpenAI) -> None:
    needle = "The vault combination is seven quetzal eleven."
    line = "Ordinary filler about weather, roads and harvests in the valley.\n"
    size = int(MAX_UPLOAD_BYTES * 0.9)
    body = line * ((size - len(needle) - 1) // len(line))
    text = body + needle + "\n"
    assert len(text.encode()) < MAX_UPLOAD_BYTES
    store = client.vector_stores.create(name="large")
    uploaded = upload_text(client, text, "large.txt")
    client.vector_stores.files.create(store.id, file_id=uploaded.id)
    done = wait_for_file(client, store.id, uploaded.id, deadline=60)
    assert done.status == "completed"
    assert done.usage_bytes > 0
    results = client.vector_stores.search(
        store.id, query="vault combination quetzal", max_num_results=3
    ).data
    assert results
    assert "seven quetzal eleven" in results[0].content[0].text


class TestPaging:
    def test_pages_follow_next_page_to_the_end(
        self, client: openai.OpenAI, http: httpx.Client
    ) -> None:
        """`has_more` says whether more results match, and `next_page` fetches them (as the
        `page` query parameter): every page holds new results, in the same order as one page
        holding them all."""
        store_id, ids = topical_store(client)
        query = "honeybees ships sourdough trains"  # a word of each file
        whole = client.vector_stores.search(store_id, query=query, max_num_results=10).data
        assert len(whole) == len(TOPICS)
        seen, page_token, pages = [], None, 0
        while True:
            params = {"page": page_token} if page_token else {}
            response = http.post(
                f"vector_stores/{store_id}/search",
                json={"query": query, "max_num_results": 3},
                params=params,
            )
            assert response.status_code == 200, response.text
            page = response.json()
            pages += 1
            seen += [result["file_id"] for result in page["data"]]
            if not page["has_more"]:
                assert page["next_page"] is None
                break
            assert isinstance(page["next_page"], str)
            assert len(page["data"]) == 3
            page_token = page["next_page"]
        assert pages == 2
        assert seen == [result.file_id for result in whole]
        assert set(seen) == set(ids.values())

    def test_a_page_that_is_no_token_of_ours_is_a_400(
        self, client: openai.OpenAI, http: httpx.Client
    ) -> None:
        store_id, _ = topical_store(client)
        response = http.post(
            f"vector_stores/{store_id}/search", json={"query": "bees"}, params={"page": "p2"}
        )
        error = error_of(response, 400)
        assert error["param"] == "page"
