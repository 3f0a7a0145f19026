"""a run's trace_parent: the traceparent of the request that created it, for tracing

Revision ID: 8c3f1a7e2b90
Revises: 5b1e0c2d9a41
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "8c3f1a7e2b90"
down_revision: str | None = "5b1e0c2d9a41"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("runs") as batch:
        batch.add_column(sa.Column("trace_parent", sa.String(64), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("runs") as batch:
        batch.drop_column("trace_parent")
