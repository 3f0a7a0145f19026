from __future__ import annotations

from typing import Any

from sqlalchemy import JSON, BigInteger, Float, ForeignKey, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from assistants_server.db.base import Base


class VectorStoreFileRecord(Base):
    """A file in a vector store, and the ingestion queue: a file `in_progress` waits for an
    ingestion worker, which claims it with a lease like a run (see retrieval/worker.py).

    Its id is the file's id, as in OpenAI's API. Deleting the file or the store deletes it,
    and its chunks with it.
    """

    __tablename__ = "vector_store_files"
    __table_args__ = (Index(None, "status", "lease_expires_at"), Index(None, "batch_id"))

    vector_store_id: Mapped[str] = mapped_column(
        String(64), ForeignKey("vector_stores.id", ondelete="CASCADE"), primary_key=True
    )
    file_id: Mapped[str] = mapped_column(
        String(64), ForeignKey("files.id", ondelete="CASCADE"), primary_key=True, index=True
    )
    tenant_id: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[int] = mapped_column(Integer)
    status: Mapped[str] = mapped_column(String(16))
    last_error: Mapped[dict[str, str] | None] = mapped_column(JSON)
    max_chunk_tokens: Mapped[int] = mapped_column(Integer)
    chunk_overlap_tokens: Mapped[int] = mapped_column(Integer)
    attributes: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    usage_bytes: Mapped[int] = mapped_column(BigInteger, default=0)
    batch_id: Mapped[str | None] = mapped_column(String(64))
    # ingestion bookkeeping, never shown to clients
    worker_id: Mapped[str | None] = mapped_column(String(64))
    lease_expires_at: Mapped[float | None] = mapped_column(Float)
