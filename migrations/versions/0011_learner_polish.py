"""One more attempt: grants of an extra quiz attempt by a manager.

Revision ID: 0011
Revises: 0010
Create Date: 2026-11-30 01:30:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0011'
down_revision = '0010'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('attempt_grant',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('item_id', sa.Integer(), nullable=False),
    sa.Column('number', sa.Integer(), nullable=False),
    sa.Column('granted_by_id', sa.Integer(), nullable=True),
    sa.Column('granted_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['granted_by_id'], ['user_account.id'], name=op.f('fk_attempt_grant_granted_by_id_user_account')),
    sa.ForeignKeyConstraint(['item_id'], ['course_item.id'], name=op.f('fk_attempt_grant_item_id_course_item')),
    sa.ForeignKeyConstraint(['user_id'], ['user_account.id'], name=op.f('fk_attempt_grant_user_id_user_account')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_attempt_grant')),
    sa.UniqueConstraint('user_id', 'item_id', 'number', name=op.f('uq_attempt_grant_user_id_item_id_number'))
    )
    with op.batch_alter_table('attempt_grant', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_attempt_grant_item_id'), ['item_id'], unique=False)


def downgrade():
    with op.batch_alter_table('attempt_grant', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_attempt_grant_item_id'))

    op.drop_table('attempt_grant')
