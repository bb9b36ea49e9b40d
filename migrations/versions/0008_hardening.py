"""One open attempt per learner and quiz, enforced by a partial unique index.

Open attempts left twice by an old race are reduced to the first one (the later ones were
never answered) before the index is created.

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-04 09:00:00

"""
import sqlalchemy as sa
from alembic import op


# revision identifiers, used by Alembic.
revision = '0008'
down_revision = '0007'
branch_labels = None
depends_on = None


def upgrade():
    op.execute(
        'DELETE FROM quiz_attempt WHERE submitted_at IS NULL AND id NOT IN ('
        ' SELECT MIN(id) FROM quiz_attempt WHERE submitted_at IS NULL'
        ' GROUP BY user_id, item_id)'
    )
    op.create_index(
        'uq_quiz_attempt_user_id_item_id_open', 'quiz_attempt', ['user_id', 'item_id'],
        unique=True,
        sqlite_where=sa.text('submitted_at IS NULL'),
        postgresql_where=sa.text('submitted_at IS NULL'),
    )


def downgrade():
    op.drop_index('uq_quiz_attempt_user_id_item_id_open', table_name='quiz_attempt')
