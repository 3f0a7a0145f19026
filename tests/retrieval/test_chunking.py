"""Token chunking (`retrieval.chunking`): strategy bounds, window arithmetic, streaming."""

from __future__ import annotations

import itertools
import math
import random
import tracemalloc
from collections.abc import AsyncIterator, Iterable

import pytest

from assistants_server.retrieval import chunking
from assistants_server.retrieval.chunking import (
    AUTO,
    Chunk,
    ChunkingStrategy,
    InvalidChunkingStrategy,
    chunk_text,
    encoding,
    validate_static,
)

WORDS = [
    *("the", "quick", "brown", "fox", "jumps", "over", "lazy", "dogs", "while", "count", "12345"),
    *("über-naïve", "café", "日本語のテキスト", "emoji", "😀🎉", "can't", "won't"),
    *("(parenthesised)", "foo.bar,", "semi;", "colon:", "tab\tend"),
]


def sample_text(words: int, seed: int = 0) -> str:
    rng = random.Random(seed)
    out = []
    for _ in range(words):
        out.append(rng.choice(WORDS))
        out.append(rng.choice([" ", " ", " ", "  ", "\n", "\n\n", ". "]))
    return "".join(out)


async def pieces_of(text: str, seed: int = 0, largest: int = 500) -> AsyncIterator[str]:
    rng = random.Random(seed)
    start = 0
    while start < len(text):
        end = start + rng.randint(1, largest)
        yield text[start:end]
        start = end


async def chunks_of(pieces: AsyncIterator[str], strategy: ChunkingStrategy) -> list[Chunk]:
    return [chunk async for chunk in chunk_text(pieces, strategy)]


def expected_windows(text: str, strategy: ChunkingStrategy) -> list[list[int]]:
    """The windows over the whole text's tokens, computed the obvious way."""
    tokens = encoding().encode_ordinary(text)
    stride = strategy.max_tokens - strategy.overlap_tokens
    windows = [tokens[: strategy.max_tokens]]
    start = stride
    while start + strategy.overlap_tokens < len(tokens):
        windows.append(tokens[start : start + strategy.max_tokens])
        start += stride
    return windows


def decode(tokens: Iterable[int]) -> str:
    return encoding().decode_bytes(list(tokens)).decode("utf-8", errors="ignore")


class TestStrategy:
    def test_auto(self) -> None:
        assert ChunkingStrategy(max_tokens=800, overlap_tokens=400) == AUTO

    @pytest.mark.parametrize(
        ("max_tokens", "overlap_tokens"), [(100, 0), (100, 50), (101, 50), (800, 400), (4096, 2048)]
    )
    def test_valid(self, max_tokens: int, overlap_tokens: int) -> None:
        assert validate_static(max_tokens, overlap_tokens) == ChunkingStrategy(
            max_tokens, overlap_tokens
        )

    @pytest.mark.parametrize(
        ("max_tokens", "overlap_tokens", "param", "message"),
        [
            (
                99,
                0,
                "max_chunk_size_tokens",
                "integer below minimum value. Expected a value >= 100, but got 99 instead.",
            ),
            (
                4097,
                0,
                "max_chunk_size_tokens",
                "integer above maximum value. Expected a value <= 4096, but got 4097 instead.",
            ),
            (
                800,
                -1,
                "chunk_overlap_tokens",
                "integer below minimum value. Expected a value >= 0, but got -1 instead.",
            ),
            (
                800,
                401,
                "chunk_overlap_tokens",
                "chunk_overlap_tokens must not exceed half of max_chunk_size_tokens. "
                "Expected a value <= 400, but got 401 instead.",
            ),
            (
                101,
                51,
                "chunk_overlap_tokens",
                "chunk_overlap_tokens must not exceed half of max_chunk_size_tokens. "
                "Expected a value <= 50, but got 51 instead.",
            ),
        ],
    )
    def test_invalid(self, max_tokens: int, overlap_tokens: int, param: str, message: str) -> None:
        with pytest.raises(ValueError, match=r"^Invalid ") as caught:
            validate_static(max_tokens, overlap_tokens)
        error = caught.value
        assert isinstance(error, InvalidChunkingStrategy)
        assert error.param == f"chunking_strategy.static.{param}"
        assert error.message == f"Invalid '{error.param}': {message}"


class TestChunkText:
    async def test_short_text_is_one_chunk(self) -> None:
        text = "A short note about café prices."
        chunks = await chunks_of(pieces_of(text, largest=3), AUTO)
        assert chunks == [Chunk(index=0, text=text, tokens=len(encoding().encode(text)))]

    @pytest.mark.parametrize("text", ["", " ", "  \n\n\t "])
    async def test_nothing_to_chunk(self, text: str) -> None:
        assert await chunks_of(pieces_of(text), AUTO) == []

    @pytest.mark.parametrize(
        ("tokens", "count"),
        [(1, 1), (99, 1), (100, 1), (101, 2), (160, 2), (161, 3), (220, 3), (221, 4)],
    )
    async def test_chunk_count(self, tokens: int, count: int) -> None:
        text = "x" + " x" * (tokens - 1)  # one token per word
        strategy = ChunkingStrategy(max_tokens=100, overlap_tokens=40)
        chunks = await chunks_of(pieces_of(text), strategy)
        assert [chunk.index for chunk in chunks] == list(range(count))
        assert count == max(1, 1 + math.ceil((tokens - 100) / 60))
        assert [chunk.tokens for chunk in chunks][:-1] == [100] * (count - 1)
        assert chunks[-1].tokens == tokens - 60 * (count - 1)

    @pytest.mark.parametrize(
        "strategy",
        [AUTO, ChunkingStrategy(100, 0), ChunkingStrategy(100, 50), ChunkingStrategy(257, 100)],
    )
    @pytest.mark.parametrize("seed", [0, 1])
    async def test_windows_match_the_whole_text(
        self, strategy: ChunkingStrategy, seed: int, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        # small segments, so the text is encoded in many parts and cut at many places
        monkeypatch.setattr(chunking, "SEGMENT_CHARS", 300)
        text = sample_text(3000, seed)
        chunks = await chunks_of(pieces_of(text, seed), strategy)
        windows = expected_windows(text, strategy)

        assert [chunk.index for chunk in chunks] == list(range(len(windows)))
        assert [chunk.tokens for chunk in chunks] == [len(window) for window in windows]
        assert [chunk.text for chunk in chunks] == [decode(window) for window in windows]
        assert all(chunk.tokens <= strategy.max_tokens for chunk in chunks)
        assert all(chunk.tokens == strategy.max_tokens for chunk in chunks[:-1])
        overlap = strategy.overlap_tokens
        for before, after in itertools.pairwise(windows):
            assert before[len(before) - overlap :] == after[:overlap]
        assert windows[-1] == encoding().encode_ordinary(text)[-len(windows[-1]) :]

    async def test_text_without_spaces_is_still_cut(self, monkeypatch: pytest.MonkeyPatch) -> None:
        monkeypatch.setattr(chunking, "SEGMENT_CHARS", 1000)
        text = "日本語のテキスト" * 2000
        chunks = await chunks_of(pieces_of(text), ChunkingStrategy(100, 20))
        assert len(chunks) > 1
        assert all(0 < chunk.tokens <= 100 for chunk in chunks)
        assert "\ufffd" not in "".join(chunk.text for chunk in chunks)

    async def test_large_stream_in_bounded_memory(self) -> None:
        line = "Streaming a large file through the chunker, one window at a time. "

        async def large() -> AsyncIterator[str]:
            piece = line * (1024 * 1024 // len(line))
            for _ in range(16):
                yield piece

        encoding()  # loaded once per process; its tables are not what is measured
        count = 0
        tracemalloc.start()
        try:
            async for chunk in chunk_text(large(), AUTO):
                assert chunk.index == count
                count += 1
            _, peak = tracemalloc.get_traced_memory()
        finally:
            tracemalloc.stop()
        assert count > 16 * 1024 * 1024 // 5 // 400  # 16 MiB of text, ~5 characters a token
        assert peak < 8 * 1024 * 1024, f"peak {peak} bytes"
