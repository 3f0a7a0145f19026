"""periodic jobs (the sweep of orphaned bytes), and files looked up by storage key

Revision ID: a4e9d2b7c1f3
Revises: 8c3f1a7e2b90
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "a4e9d2b7c1f3"
down_revision: str | None = "8c3f1a7e2b90"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "periodic_jobs",
        sa.Column("name", sa.String(length=64), nullable=False),
        sa.Column("next_run_at", sa.Float(), nullable=False),
        sa.Column("worker_id", sa.String(length=64), nullable=True),
        sa.Column("lease_expires_at", sa.Float(), nullable=True),
        sa.PrimaryKeyConstraint("name", name=op.f("pk_periodic_jobs")),
    )
    with op.batch_alter_table("files", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_files_storage_key"), ["storage_key"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("files", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_files_storage_key"))
    op.drop_table("periodic_jobs")
