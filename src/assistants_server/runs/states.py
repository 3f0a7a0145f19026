"""The run status machine, as the spec describes it. Every status change goes through `move`,
which checks the transition, stamps its timestamp and names the event to emit."""

from __future__ import annotations

from assistants_server.db.models import RunRecord
from assistants_server.errors import InvalidRequestError

TERMINAL = frozenset({"completed", "incomplete", "failed", "cancelled", "expired"})

TRANSITIONS: dict[str, frozenset[str]] = {
    "queued": frozenset({"in_progress", "cancelled", "failed", "expired"}),
    "in_progress": frozenset(
        {"requires_action", "completed", "incomplete", "failed", "cancelling", "cancelled"}
    ),
    "requires_action": frozenset({"queued", "cancelled", "expired", "failed"}),
    "cancelling": frozenset({"cancelled", "completed", "incomplete", "failed"}),
}

_STAMPS = {
    "in_progress": "started_at",
    "cancelled": "cancelled_at",
    "failed": "failed_at",
    "completed": "completed_at",
}


def can_move(current: str, target: str) -> bool:
    return target in TRANSITIONS.get(current, frozenset())


def move(run: RunRecord, target: str, now: int) -> str:
    """Set `run.status` to `target`; return the event announcing it (`thread.run.<status>`)."""
    if not can_move(run.status, target):
        raise InvalidRequestError(
            f"Cannot move run {run.id} from status '{run.status}' to '{target}'."
        )
    run.status = target
    stamp = _STAMPS.get(target)
    if stamp == "started_at":
        run.started_at = run.started_at or now
    elif stamp is not None:
        setattr(run, stamp, now)
    if target != "requires_action":
        run.required_action = None
    if target in TERMINAL:
        run.expires_at = None
        run.worker_id = None
        run.lease_expires_at = None
    return f"thread.run.{target}"
