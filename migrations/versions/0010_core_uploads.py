"""core: uploaded files

Revision ID: 0010
Revises: 0009
Create Date: 2026-11-27 18:00:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0010'
down_revision = '0009'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'occe_stored_file',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('filename', sa.String(length=255), nullable=False),
        sa.Column('kind', sa.String(length=10), nullable=False),
        sa.Column('content_type', sa.String(length=100), nullable=False),
        sa.Column('size', sa.Integer(), nullable=False),
        sa.Column('sha256', sa.String(length=64), nullable=False),
        sa.Column('uploaded_at', sa.DateTime(), nullable=False),
        sa.Column('uploaded_by_fk', sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(['uploaded_by_fk'], ['ab_user.id'], ),
        sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('occe_stored_file', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_occe_stored_file_sha256'), ['sha256'], unique=False)
        batch_op.create_index(batch_op.f('ix_occe_stored_file_uploaded_by_fk'), ['uploaded_by_fk'], unique=False)

    op.create_table(
        'occe_stored_file_content',
        sa.Column('file_id', sa.Integer(), nullable=False),
        sa.Column('data', sa.LargeBinary(), nullable=False),
        sa.ForeignKeyConstraint(['file_id'], ['occe_stored_file.id'], ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('file_id')
    )


def downgrade():
    op.drop_table('occe_stored_file_content')
    with op.batch_alter_table('occe_stored_file', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_occe_stored_file_uploaded_by_fk'))
        batch_op.drop_index(batch_op.f('ix_occe_stored_file_sha256'))
    op.drop_table('occe_stored_file')
