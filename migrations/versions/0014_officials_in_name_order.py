"""Officials in name order: an index for lists of a whole province or country.

A manager's list shows the not started first, then in progress, then completed, each in
Vietnamese name order. With this index a list of 250,000 officials reads one page of them
in name order instead of sorting them all.

Revision ID: 0014
Revises: 0013
Create Date: 2026-11-30 04:10:00

"""
from alembic import op


# revision identifiers, used by Alembic.
revision = '0014'
down_revision = '0013'
branch_labels = None
depends_on = None


def upgrade():
    op.create_index('ix_user_account_sort_key_id', 'user_account', ['sort_key', 'id'])


def downgrade():
    op.drop_index('ix_user_account_sort_key_id', table_name='user_account')
