from __future__ import annotations

from typing import TYPE_CHECKING, Any

from sqlalchemy import JSON, Float, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from assistants_server.db.base import Base

if TYPE_CHECKING:
    from assistants_server.db.models.assistant_file import AssistantFileRecord


class AssistantRecord(Base):
    """An assistant, stored once for both API versions.

    Tools are kept in v2 form (`file_search`, never v1's `retrieval`); the files of v1's
    `file_ids` and v2's `tool_resources.code_interpreter.file_ids` are `file_links`.
    """

    __tablename__ = "assistants"
    __table_args__ = (Index(None, "tenant_id", "id"),)

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    tenant_id: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[int] = mapped_column(Integer)
    model: Mapped[str] = mapped_column(String(256))
    name: Mapped[str | None] = mapped_column(String(256))
    description: Mapped[str | None] = mapped_column(String(512))
    instructions: Mapped[str | None] = mapped_column(Text)
    tools: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    file_search_resources: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    metadata_: Mapped[dict[str, str]] = mapped_column("metadata", JSON, default=dict)
    temperature: Mapped[float | None] = mapped_column(Float)
    top_p: Mapped[float | None] = mapped_column(Float)
    response_format: Mapped[Any] = mapped_column(JSON, nullable=True)
    reasoning_effort: Mapped[str | None] = mapped_column(String(16))

    file_links: Mapped[list[AssistantFileRecord]] = relationship(
        lazy="raise",
        order_by="AssistantFileRecord.position",
        cascade="all, delete-orphan",
        passive_deletes=True,
    )

    @property
    def file_ids(self) -> list[str]:
        return [link.file_id for link in self.file_links]
