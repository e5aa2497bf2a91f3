"""What the SMS channel remembers: processed messages, opt-outs, choices, failures.

Revision ID: 0003
Revises: 0002
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "sprout_sms_inbound",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("message_sid", sa.String(64), nullable=False, unique=True),
        sa.Column("conversation_key", sa.String(80), nullable=False, index=True),
        sa.Column("received_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_table(
        "sprout_sms_opt_outs",
        sa.Column("conversation_key", sa.String(80), primary_key=True),
        sa.Column("opted_out", sa.Boolean, nullable=False),
        sa.Column("changed_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_table(
        "sprout_sms_choices",
        sa.Column("conversation_key", sa.String(80), primary_key=True),
        sa.Column("choices", sa.Text, nullable=False),
        sa.Column("offered_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_table(
        "sprout_sms_delivery_failures",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("message_sid", sa.String(64), nullable=False),
        sa.Column("status", sa.String(32), nullable=False),
        sa.Column("error_code", sa.String(16)),
        sa.Column("conversation_key", sa.String(80)),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.UniqueConstraint("message_sid", "status", name="uq_sms_delivery_status"),
    )


def downgrade() -> None:
    for table in (
        "sprout_sms_delivery_failures",
        "sprout_sms_choices",
        "sprout_sms_opt_outs",
        "sprout_sms_inbound",
    ):
        op.drop_table(table)
