"""Bookings and handoff requests.

Revision ID: 0001
Revises:
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "sprout_bookings",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("reference", sa.String(16), nullable=False, unique=True),
        sa.Column("idempotency_key", sa.String(128), nullable=False),
        sa.Column("parent_name", sa.String(120), nullable=False),
        sa.Column("child_name", sa.String(120), nullable=False),
        sa.Column("child_age", sa.String(60), nullable=False),
        sa.Column("contact", sa.String(254), nullable=False),
        sa.Column("visit_type", sa.String(16), nullable=False),
        sa.Column("concern", sa.Text, nullable=False),
        sa.Column("recommended_therapy", sa.String(8)),
        sa.Column("channel", sa.String(32)),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.UniqueConstraint("idempotency_key", name="uq_booking_idempotency"),
    )
    op.create_table(
        "sprout_handoffs",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("conversation_key", sa.String(128), nullable=False, index=True),
        sa.Column("channel", sa.String(32)),
        sa.Column("reason", sa.Text, nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("sprout_handoffs")
    op.drop_table("sprout_bookings")
