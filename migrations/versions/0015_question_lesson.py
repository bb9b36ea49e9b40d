"""A question may name the lesson it checks (`lesson=` in its heading's braces).

After a failed test out, the result page sends each missed question to that lesson; a
question that names none falls back to the order rule.

Revision ID: 0015
Revises: 0014
Create Date: 2026-11-30 07:40:00

"""
import sqlalchemy as sa
from alembic import op


# revision identifiers, used by Alembic.
revision = '0015'
down_revision = '0014'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('question') as batch_op:
        batch_op.add_column(sa.Column('lesson_slug', sa.String(length=64), nullable=True))


def downgrade():
    with op.batch_alter_table('question') as batch_op:
        batch_op.drop_column('lesson_slug')
