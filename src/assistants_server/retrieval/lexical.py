"""Lexical ranking of chunks with the database's own full-text search: SQLite's FTS5 (BM25,
Porter stemming) or PostgreSQL's text search (`english` configuration, `ts_rank`).

A query is reduced to its words, any of which may match (OR): the ranking, not the match,
rewards chunks holding more of them. Words are matched as plain tokens, so nothing a user
types is read as query syntax.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from sqlalchemy import bindparam, text
from sqlalchemy.ext.asyncio import AsyncSession

from assistants_server.db.sqlite import OFFLOADED

MAX_TERMS = 64

_SQLITE = """
SELECT c.id, bm25(chunks_fts, 0.0, 1.0) AS rank
FROM chunks_fts
JOIN chunks c ON c.id = chunks_fts.rowid
JOIN vector_store_files f ON f.vector_store_id = c.vector_store_id AND f.file_id = c.file_id
WHERE chunks_fts MATCH :match AND c.vector_store_id IN :stores AND f.status = 'completed'
{files}
ORDER BY rank, c.id
LIMIT :limit
"""

_POSTGRES = """
SELECT c.id, ts_rank(c.search_vector, q) AS rank
FROM chunks c
JOIN vector_store_files f ON f.vector_store_id = c.vector_store_id AND f.file_id = c.file_id,
to_tsquery('english', :match) q
WHERE c.search_vector @@ q AND c.vector_store_id IN :stores AND f.status = 'completed'
{files}
ORDER BY rank DESC, c.id
LIMIT :limit
"""


# English function words, left out of queries (PostgreSQL's `english` configuration drops
# them too): they match nearly every chunk, which costs time and ranks nothing.
_STOPWORDS = (
    "a an and are as at be been but by can could did do does for from had has have how i "
    "if in into is it its me my no not of on or our so than that the their them then "
    "there these they this to was we were what when where which who why will with would "
    "you your"
)
STOPWORDS = frozenset(_STOPWORDS.split())


def terms(query: str) -> list[str]:
    """The query's words, lowercased, once each; function words are dropped unless the query
    is nothing else."""
    words = list(dict.fromkeys(re.findall(r"\w+", query.lower())))
    meaningful = [word for word in words if word not in STOPWORDS]
    return (meaningful or words)[:MAX_TERMS]


async def rank(
    session: AsyncSession,
    store_ids: Sequence[str],
    query: str,
    limit: int,
    files: set[str] | None = None,
) -> list[tuple[int, float]]:
    """Up to `limit` chunks matching `query`, best first (ties by id), each with its
    relevance relative to the best: 1.0 for the first, less for those that match less."""
    words = terms(query)
    if not words or not store_ids or (files is not None and not files):
        return []
    if (await session.connection()).dialect.name == "sqlite":
        # FTS5 reads only the entries of the stores named (their ids are indexed as phrases)
        stores = " OR ".join(f'"{store_id}"' for store_id in store_ids)
        any_word = " OR ".join(f'"{word}"' for word in words)
        sql, match = _SQLITE, f"vector_store_id : ({stores}) AND text : ({any_word})"
    else:
        sql, match = _POSTGRES, " | ".join(words)
    statement = text(sql.format(files="AND c.file_id IN :files" if files is not None else ""))
    params: dict[str, object] = {"match": match, "stores": list(store_ids), "limit": limit}
    statement = statement.bindparams(bindparam("stores", expanding=True))
    if files is not None:
        statement = statement.bindparams(bindparam("files", expanding=True))
        params["files"] = sorted(files)
    found = await session.execute(statement, params, execution_options=OFFLOADED)
    rows = [(int(row.id), float(row.rank)) for row in found]
    best = rows[0][1] if rows else 0.0  # BM25 is negative (lower is better), ts_rank positive
    return [(chunk_id, raw / best if best else 1.0) for chunk_id, raw in rows]
