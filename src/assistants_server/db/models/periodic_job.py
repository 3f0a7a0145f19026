from __future__ import annotations

from sqlalchemy import Float, String
from sqlalchemy.orm import Mapped, mapped_column

from assistants_server.db.base import Base


class PeriodicJobRecord(Base):
    """A job run every so often by whichever worker claims it (jobs/periodic.py): due at
    `next_run_at`, held under a lease like every job."""

    __tablename__ = "periodic_jobs"

    name: Mapped[str] = mapped_column(String(64), primary_key=True)
    next_run_at: Mapped[float] = mapped_column(Float)
    worker_id: Mapped[str | None] = mapped_column(String(64))
    lease_expires_at: Mapped[float | None] = mapped_column(Float)
