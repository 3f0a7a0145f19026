from __future__ import annotations

from sqlalchemy import BigInteger, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from assistants_server.db.base import Base


class FileRecord(Base):
    """An uploaded file; its bytes live in file storage under `storage_key`, never under a
    name derived from the client's filename."""

    __tablename__ = "files"
    __table_args__ = (
        Index(None, "tenant_id", "id"),
        Index(None, "tenant_id", "purpose", "id"),
        Index(None, "storage_key"),  # the sweep of orphaned bytes looks keys up
    )

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    tenant_id: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[int] = mapped_column(Integer)
    bytes: Mapped[int] = mapped_column(BigInteger)
    filename: Mapped[str] = mapped_column(String(1024))
    purpose: Mapped[str] = mapped_column(String(32))
    status: Mapped[str] = mapped_column(String(16))
    expires_at: Mapped[int | None] = mapped_column(Integer)
    storage_key: Mapped[str] = mapped_column(String(128))
