from __future__ import annotations

from typing import Any

from sqlalchemy import JSON, ForeignKey, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from assistants_server.db.base import Base


class MessageRecord(Base):
    """A message in a thread. `content` holds v2 content parts; v1's `file_ids` are the ids of
    the `attachments`. Lists page on `(thread_id, id)`, so a long thread pages as fast as a
    short one."""

    __tablename__ = "messages"
    __table_args__ = (Index(None, "thread_id", "id"), Index(None, "run_id"))

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    tenant_id: Mapped[str] = mapped_column(String(64))
    thread_id: Mapped[str] = mapped_column(String(64), ForeignKey("threads.id", ondelete="CASCADE"))
    created_at: Mapped[int] = mapped_column(Integer)
    role: Mapped[str] = mapped_column(String(16))
    status: Mapped[str] = mapped_column(String(16))
    content: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    attachments: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    assistant_id: Mapped[str | None] = mapped_column(String(64))
    run_id: Mapped[str | None] = mapped_column(String(64))
    incomplete_details: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    completed_at: Mapped[int | None] = mapped_column(Integer)
    incomplete_at: Mapped[int | None] = mapped_column(Integer)
    metadata_: Mapped[dict[str, str]] = mapped_column("metadata", JSON, default=dict)

    @property
    def file_ids(self) -> list[str]:
        return [attachment["file_id"] for attachment in self.attachments]
