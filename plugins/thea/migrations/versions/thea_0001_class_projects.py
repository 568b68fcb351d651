"""THEA class projects

Revision ID: thea_0001
Revises: 
Create Date: 2026-11-27 20:45:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'thea_0001'
down_revision = None
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('thea_class_project',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('registration_id', sa.Integer(), nullable=False),
    sa.Column('action_id', sa.Integer(), nullable=False),
    sa.Column('school_year_id', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('author', sa.String(length=200), nullable=True),
    sa.Column('theme', sa.String(length=200), nullable=True),
    sa.Column('duration_minutes', sa.Integer(), nullable=False),
    sa.Column('stage_needs', sa.Text(), nullable=True),
    sa.Column('version', sa.Integer(), server_default='1', nullable=False),
    sa.ForeignKeyConstraint(['action_id'], ['occe_action.id'], ),
    sa.ForeignKeyConstraint(['registration_id'], ['occe_registration.id'], ),
    sa.ForeignKeyConstraint(['school_year_id'], ['occe_school_year.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('registration_id')
    )
    with op.batch_alter_table('thea_class_project', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_thea_class_project_action_id'), ['action_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_thea_class_project_school_year_id'), ['school_year_id'], unique=False)


def downgrade():
    with op.batch_alter_table('thea_class_project', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_thea_class_project_school_year_id'))
        batch_op.drop_index(batch_op.f('ix_thea_class_project_action_id'))

    op.drop_table('thea_class_project')
