"""Progress events sent from devices that were offline: the ids already applied.

A device queues "lesson completed" events while it has no connection and sends them later,
possibly twice or out of order; (user_id, event_id) is unique, so each applies once.

Revision ID: 0010
Revises: 0008
Create Date: 2026-11-30 01:23:42

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0010'
down_revision = '0008'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('applied_event',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('event_id', sa.String(length=64), nullable=False),
    sa.Column('item_id', sa.Integer(), nullable=False),
    sa.Column('occurred_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('received_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['item_id'], ['course_item.id'], name=op.f('fk_applied_event_item_id_course_item')),
    sa.ForeignKeyConstraint(['user_id'], ['user_account.id'], name=op.f('fk_applied_event_user_id_user_account')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_applied_event')),
    sa.UniqueConstraint('user_id', 'event_id', name=op.f('uq_applied_event_user_id_event_id'))
    )


def downgrade():
    op.drop_table('applied_event')
