"""core: sales

Revision ID: 0013
Revises: 0012
Create Date: 2026-11-27 18:00:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0013'
down_revision = '0012'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('occe_product',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('school_year_id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=120), nullable=False),
    sa.Column('kind', sa.String(length=12), nullable=False),
    sa.Column('cycle', sa.Integer(), nullable=True),
    sa.Column('unit_price', sa.Numeric(precision=10, scale=2), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('description', sa.Text(), nullable=True),
    sa.Column('version', sa.Integer(), server_default='1', nullable=False),
    sa.ForeignKeyConstraint(['school_year_id'], ['occe_school_year.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('school_year_id', 'name', name='uq_occe_product_year_name')
    )
    with op.batch_alter_table('occe_product', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_occe_product_school_year_id'), ['school_year_id'], unique=False)

    op.create_table('occe_order',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('school_year_id', sa.Integer(), nullable=False),
    sa.Column('cooperative_id', sa.Integer(), nullable=False),
    sa.Column('ordered_on', sa.Date(), nullable=False),
    sa.Column('status', sa.String(length=10), nullable=False),
    sa.Column('delivery_mode', sa.String(length=10), nullable=False),
    sa.Column('delivered_on', sa.Date(), nullable=True),
    sa.Column('copies', sa.Integer(), server_default='0', nullable=False),
    sa.Column('total', sa.Numeric(precision=10, scale=2), server_default='0', nullable=False),
    sa.Column('amount_paid', sa.Numeric(precision=10, scale=2), server_default='0', nullable=False),
    sa.Column('payment_status', sa.String(length=10), nullable=False),
    sa.Column('paid_on', sa.Date(), nullable=True),
    sa.Column('payment_method', sa.String(length=10), nullable=True),
    sa.Column('payment_reminded_on', sa.Date(), nullable=True),
    sa.Column('note', sa.Text(), nullable=True),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('version', sa.Integer(), server_default='1', nullable=False),
    sa.ForeignKeyConstraint(['cooperative_id'], ['occe_cooperative.id'], ),
    sa.ForeignKeyConstraint(['created_by_id'], ['ab_user.id'], ),
    sa.ForeignKeyConstraint(['school_year_id'], ['occe_school_year.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('occe_order', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_occe_order_cooperative_id'), ['cooperative_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_occe_order_payment_status'), ['payment_status'], unique=False)
        batch_op.create_index(batch_op.f('ix_occe_order_school_year_id'), ['school_year_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_occe_order_status'), ['status'], unique=False)

    op.create_table('occe_order_line',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('order_id', sa.Integer(), nullable=False),
    sa.Column('product_id', sa.Integer(), nullable=False),
    sa.Column('quantity', sa.Integer(), nullable=False),
    sa.Column('unit_price', sa.Numeric(precision=10, scale=2), nullable=False),
    sa.CheckConstraint('quantity > 0', name='ck_occe_order_line_quantity'),
    sa.ForeignKeyConstraint(['order_id'], ['occe_order.id'], ),
    sa.ForeignKeyConstraint(['product_id'], ['occe_product.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('order_id', 'product_id', name='uq_occe_order_line_product')
    )
    with op.batch_alter_table('occe_order_line', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_occe_order_line_order_id'), ['order_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_occe_order_line_product_id'), ['product_id'], unique=False)


def downgrade():
    with op.batch_alter_table('occe_order_line', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_occe_order_line_product_id'))
        batch_op.drop_index(batch_op.f('ix_occe_order_line_order_id'))

    op.drop_table('occe_order_line')
    with op.batch_alter_table('occe_order', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_occe_order_status'))
        batch_op.drop_index(batch_op.f('ix_occe_order_school_year_id'))
        batch_op.drop_index(batch_op.f('ix_occe_order_payment_status'))
        batch_op.drop_index(batch_op.f('ix_occe_order_cooperative_id'))

    op.drop_table('occe_order')
    with op.batch_alter_table('occe_product', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_occe_product_school_year_id'))

    op.drop_table('occe_product')
