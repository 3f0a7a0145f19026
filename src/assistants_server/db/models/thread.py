from __future__ import annotations

from typing import Any

from sqlalchemy import JSON, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from assistants_server.db.base import Base


class ThreadRecord(Base):
    """A conversation. `tool_resources` is kept in v2 form (`code_interpreter.file_ids`,
    `file_search.vector_store_ids`); deleting a thread deletes its messages, runs and steps."""

    __tablename__ = "threads"
    __table_args__ = (Index(None, "tenant_id", "id"),)

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    tenant_id: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[int] = mapped_column(Integer)
    tool_resources: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    metadata_: Mapped[dict[str, str]] = mapped_column("metadata", JSON, default=dict)
