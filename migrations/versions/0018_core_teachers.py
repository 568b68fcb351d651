"""core: teachers' personal links to answer the proposals online

Revision ID: 0018
Revises: 0017
Create Date: 2026-11-27 21:00:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0018'
down_revision = '0017'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'occe_teacher_link',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('cooperative_id', sa.Integer(), nullable=False),
        sa.Column('school_year_id', sa.Integer(), nullable=False),
        sa.Column('nonce', sa.String(length=32), nullable=False),
        sa.Column('token_hash', sa.String(length=64), nullable=False),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.Column('expires_on', sa.Date(), nullable=False),
        sa.Column('revoked_at', sa.DateTime(), nullable=True),
        sa.Column('revoked_by_id', sa.Integer(), nullable=True),
        sa.Column('last_used_at', sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(['cooperative_id'], ['occe_cooperative.id'], ),
        sa.ForeignKeyConstraint(['revoked_by_id'], ['ab_user.id'], ),
        sa.ForeignKeyConstraint(['school_year_id'], ['occe_school_year.id'], ),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('cooperative_id', 'school_year_id', name='uq_occe_teacher_link_coop_year')
    )
    with op.batch_alter_table('occe_teacher_link', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_occe_teacher_link_cooperative_id'), ['cooperative_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_occe_teacher_link_school_year_id'), ['school_year_id'], unique=False)


def downgrade():
    op.drop_table('occe_teacher_link')
