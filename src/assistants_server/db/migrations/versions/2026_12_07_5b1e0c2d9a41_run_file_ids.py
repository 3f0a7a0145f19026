"""a run's file_ids: the assistant's files when the run was made, as v1 runs show them

Revision ID: 5b1e0c2d9a41
Revises: d817a1aeff6a
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "5b1e0c2d9a41"
down_revision: str | None = "d817a1aeff6a"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("runs") as batch:
        batch.add_column(sa.Column("file_ids", sa.JSON(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("runs") as batch:
        batch.drop_column("file_ids")
