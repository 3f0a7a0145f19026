from __future__ import annotations

from typing import Any

from sqlalchemy import JSON, Boolean, Float, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from assistants_server.db.base import Base


class RunRecord(Base):
    """A run: the request as the model will see it, its status, and the executor's claim.

    A worker owns a run while `lease_expires_at` is in the future and renews the lease as it
    goes; a run whose lease ran out belongs to a worker that died (see runs/executor.py).
    `event_count` numbers the run's events; bumping it locks the row, so the events of one run
    are written one transaction at a time, in order.
    """

    __tablename__ = "runs"
    __table_args__ = (Index(None, "thread_id", "id"), Index(None, "status", "id"))

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    tenant_id: Mapped[str] = mapped_column(String(64))
    thread_id: Mapped[str] = mapped_column(String(64), ForeignKey("threads.id", ondelete="CASCADE"))
    assistant_id: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[int] = mapped_column(Integer)
    status: Mapped[str] = mapped_column(String(16))
    required_action: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    last_error: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    expires_at: Mapped[int | None] = mapped_column(Integer)
    started_at: Mapped[int | None] = mapped_column(Integer)
    cancelled_at: Mapped[int | None] = mapped_column(Integer)
    failed_at: Mapped[int | None] = mapped_column(Integer)
    completed_at: Mapped[int | None] = mapped_column(Integer)
    incomplete_details: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    model: Mapped[str] = mapped_column(String(256))
    instructions: Mapped[str] = mapped_column(Text, default="")
    tools: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    metadata_: Mapped[dict[str, str]] = mapped_column("metadata", JSON, default=dict)
    usage: Mapped[dict[str, int] | None] = mapped_column(JSON)
    temperature: Mapped[float | None] = mapped_column(Float)
    top_p: Mapped[float | None] = mapped_column(Float)
    max_prompt_tokens: Mapped[int | None] = mapped_column(Integer)
    max_completion_tokens: Mapped[int | None] = mapped_column(Integer)
    truncation_strategy: Mapped[dict[str, Any]] = mapped_column(JSON)
    tool_choice: Mapped[Any] = mapped_column(JSON)
    parallel_tool_calls: Mapped[bool] = mapped_column(Boolean, default=True)
    response_format: Mapped[Any] = mapped_column(JSON)
    reasoning_effort: Mapped[str | None] = mapped_column(String(16))
    # the vector stores file_search reads, fixed when the run is created (assistant's, then
    # thread's), and whether its file_search steps show result content (`include[]`)
    vector_store_ids: Mapped[list[str]] = mapped_column(JSON, default=list)
    # the assistant's files when the run was made, which a v1 run shows as its `file_ids`
    file_ids: Mapped[list[str] | None] = mapped_column(JSON)
    include_search_content: Mapped[bool] = mapped_column(Boolean, default=False)
    # the W3C traceparent of the request that created the run (tracing on), which the run's
    # span links to, whichever process drives it
    trace_parent: Mapped[str | None] = mapped_column(String(64))
    # executor bookkeeping, never shown to clients
    worker_id: Mapped[str | None] = mapped_column(String(64))
    lease_expires_at: Mapped[float | None] = mapped_column(Float)
    event_count: Mapped[int] = mapped_column(Integer, default=0)
