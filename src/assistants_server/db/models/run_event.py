from __future__ import annotations

from typing import Any

from sqlalchemy import JSON, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from assistants_server.db.base import Base


class RunEventRecord(Base):
    """One event of a run's stream, as sent (`event` name, `data` in v2 form), numbered from 1
    per run. The SSE stream of a run is a replay of these rows, then a follow."""

    __tablename__ = "run_events"

    run_id: Mapped[str] = mapped_column(
        String(64), ForeignKey("runs.id", ondelete="CASCADE"), primary_key=True
    )
    seq: Mapped[int] = mapped_column(Integer, primary_key=True)
    event: Mapped[str] = mapped_column(String(64))
    data: Mapped[dict[str, Any]] = mapped_column(JSON)
