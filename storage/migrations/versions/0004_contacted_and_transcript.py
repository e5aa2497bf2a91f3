"""When staff contacted a family, and the conversation behind a handoff request.

Revision ID: 0004
Revises: 0003
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("sprout_bookings") as batch:
        batch.add_column(sa.Column("contacted_at", sa.DateTime(timezone=True)))
    with op.batch_alter_table("sprout_handoffs") as batch:
        batch.add_column(sa.Column("transcript", sa.Text))


def downgrade() -> None:
    with op.batch_alter_table("sprout_handoffs") as batch:
        batch.drop_column("transcript")
    with op.batch_alter_table("sprout_bookings") as batch:
        batch.drop_column("contacted_at")
