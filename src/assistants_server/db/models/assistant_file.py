from __future__ import annotations

from sqlalchemy import ForeignKey, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from assistants_server.db.base import Base


class AssistantFileRecord(Base):
    """A file attached to an assistant (v1 assistant file = v2 code_interpreter file).

    `position` is a sortable token made at attach time: lists page on it, in attach order.
    """

    __tablename__ = "assistant_files"
    __table_args__ = (Index(None, "assistant_id", "position"),)

    assistant_id: Mapped[str] = mapped_column(
        String(64), ForeignKey("assistants.id", ondelete="CASCADE"), primary_key=True
    )
    file_id: Mapped[str] = mapped_column(
        String(64), ForeignKey("files.id", ondelete="CASCADE"), primary_key=True, index=True
    )
    tenant_id: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[int] = mapped_column(Integer)
    position: Mapped[str] = mapped_column(String(64))
