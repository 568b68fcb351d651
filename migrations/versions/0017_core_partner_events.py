"""core: partner-led actions' closing events

Revision ID: 0017
Revises: 0016
Create Date: 2026-11-27 21:00:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0017'
down_revision = '0016'
branch_labels = None
depends_on = None


def upgrade():
    pass


def downgrade():
    pass
