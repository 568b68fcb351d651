"""La Picardie en Poésie: resource dossiers, chapters and productions

Revision ID: poesie_0001
Revises:
Create Date: 2026-11-27 20:45:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = "poesie_0001"
down_revision = None
branch_labels = None
depends_on = None


def _version():
    return sa.Column("version", sa.Integer(), server_default="1", nullable=False)


def upgrade():
    op.create_table(
        "poesie_dossier",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("school_year_id", sa.Integer(), nullable=False),
        sa.Column("action_id", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("description", sa.Text(), nullable=True),
        sa.Column("position", sa.Integer(), nullable=False),
        _version(),
        sa.ForeignKeyConstraint(["action_id"], ["occe_action.id"]),
        sa.ForeignKeyConstraint(["school_year_id"], ["occe_school_year.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_poesie_dossier_action_id", "poesie_dossier", ["action_id"], unique=False)
    op.create_index("ix_poesie_dossier_school_year_id", "poesie_dossier", ["school_year_id"], unique=False)

    op.create_table(
        "poesie_resource",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("dossier_id", sa.Integer(), nullable=False),
        sa.Column("action_id", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("url", sa.String(length=500), nullable=True),
        sa.Column("file_id", sa.Integer(), nullable=True),
        _version(),
        sa.ForeignKeyConstraint(["action_id"], ["occe_action.id"]),
        sa.ForeignKeyConstraint(["dossier_id"], ["poesie_dossier.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["file_id"], ["occe_stored_file.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_poesie_resource_action_id", "poesie_resource", ["action_id"], unique=False)
    op.create_index("ix_poesie_resource_dossier_id", "poesie_resource", ["dossier_id"], unique=False)
    op.create_index("ix_poesie_resource_file_id", "poesie_resource", ["file_id"], unique=False)

    op.create_table(
        "poesie_chapter",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("school_year_id", sa.Integer(), nullable=False),
        sa.Column("action_id", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        _version(),
        sa.ForeignKeyConstraint(["action_id"], ["occe_action.id"]),
        sa.ForeignKeyConstraint(["school_year_id"], ["occe_school_year.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_poesie_chapter_action_id", "poesie_chapter", ["action_id"], unique=False)
    op.create_index("ix_poesie_chapter_school_year_id", "poesie_chapter", ["school_year_id"], unique=False)

    op.create_table(
        "poesie_production",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("school_year_id", sa.Integer(), nullable=False),
        sa.Column("action_id", sa.Integer(), nullable=False),
        sa.Column("registration_id", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("author_line", sa.String(length=250), nullable=True),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("file_id", sa.Integer(), nullable=True),
        sa.Column("text", sa.Text(), nullable=True),
        sa.Column("received_at", sa.Date(), nullable=False),
        sa.Column("chapter_id", sa.Integer(), nullable=True),
        sa.Column("position", sa.Integer(), nullable=True),
        _version(),
        sa.ForeignKeyConstraint(["action_id"], ["occe_action.id"]),
        sa.ForeignKeyConstraint(["chapter_id"], ["poesie_chapter.id"], ondelete="SET NULL"),
        sa.ForeignKeyConstraint(["file_id"], ["occe_stored_file.id"]),
        sa.ForeignKeyConstraint(["registration_id"], ["occe_registration.id"]),
        sa.ForeignKeyConstraint(["school_year_id"], ["occe_school_year.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    for column in ("action_id", "chapter_id", "file_id", "registration_id", "school_year_id"):
        op.create_index(f"ix_poesie_production_{column}", "poesie_production", [column], unique=False)


def downgrade():
    # Removing the plugin never drops its tables (see DESIGN.md); only an explicit purge downgrades.
    for column in ("action_id", "chapter_id", "file_id", "registration_id", "school_year_id"):
        op.drop_index(f"ix_poesie_production_{column}", table_name="poesie_production")
    op.drop_table("poesie_production")
    op.drop_index("ix_poesie_chapter_school_year_id", table_name="poesie_chapter")
    op.drop_index("ix_poesie_chapter_action_id", table_name="poesie_chapter")
    op.drop_table("poesie_chapter")
    op.drop_index("ix_poesie_resource_file_id", table_name="poesie_resource")
    op.drop_index("ix_poesie_resource_dossier_id", table_name="poesie_resource")
    op.drop_index("ix_poesie_resource_action_id", table_name="poesie_resource")
    op.drop_table("poesie_resource")
    op.drop_index("ix_poesie_dossier_school_year_id", table_name="poesie_dossier")
    op.drop_index("ix_poesie_dossier_action_id", table_name="poesie_dossier")
    op.drop_table("poesie_dossier")
