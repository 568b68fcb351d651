"""Action de démonstration: the participation table

Revision ID: demo_action_0001
Revises:
Create Date: 2026-11-27 12:43:47

"""
import sqlalchemy as sa
from alembic import op

revision = "demo_action_0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "demo_action_participation",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("school_year_id", sa.Integer(), nullable=False),
        sa.Column("school_name", sa.String(length=200), nullable=False),
        sa.Column("class_name", sa.String(length=100), nullable=False),
        sa.Column("pupils", sa.Integer(), nullable=True),
        sa.Column("comment", sa.Text(), nullable=True),
        sa.Column("created_on", sa.DateTime(), server_default=sa.text("(CURRENT_TIMESTAMP)"), nullable=False),
        sa.ForeignKeyConstraint(["school_year_id"], ["occe_school_year.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("demo_action_participation") as batch_op:
        batch_op.create_index("ix_demo_action_participation_school_year_id", ["school_year_id"], unique=False)


def downgrade():
    with op.batch_alter_table("demo_action_participation") as batch_op:
        batch_op.drop_index("ix_demo_action_participation_school_year_id")
    op.drop_table("demo_action_participation")
