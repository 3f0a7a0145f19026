from __future__ import annotations

from typing import Any

from sqlalchemy import JSON, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from assistants_server.db.base import Base


class VectorStoreRecord(Base):
    """A vector store. Its file counts, usage and status come from its files when it is read;
    `expired` comes from `expires_at`. `chunks_version` changes whenever the set of searchable
    chunks does, so cached vectors know when they are stale (see retrieval/vectors.py).

    `owner_id` names the assistant or thread a store was made for behind the client's back:
    the store for a v1 assistant's retrieval files, or for a thread's message attachments.
    """

    __tablename__ = "vector_stores"
    __table_args__ = (Index(None, "tenant_id", "id"), Index(None, "owner_id"))

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    tenant_id: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[int] = mapped_column(Integer)
    name: Mapped[str] = mapped_column(String(256), default="")
    description: Mapped[str | None] = mapped_column(Text)
    metadata_: Mapped[dict[str, str]] = mapped_column("metadata", JSON, default=dict)
    expires_after: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    expires_at: Mapped[int | None] = mapped_column(Integer)
    last_active_at: Mapped[int] = mapped_column(Integer)
    chunks_version: Mapped[int] = mapped_column(Integer, default=0)
    owner_id: Mapped[str | None] = mapped_column(String(64))
