"""Monitoring: reports count officials only; honour-board and manual-reminder records.

Reports now count cán bộ and công chức only (accounts of category "khác" may learn but are
not counted): the rollups' total rows and the daily completions are recounted here. The
honour board's record of who completed every required course is filled from progress, and
a table records reminders sent from a list (once per person, course and day).

Revision ID: 0012
Revises: 0011
Create Date: 2026-11-30 01:20:20

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0012'
down_revision = '0011'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('manual_reminder',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('course_id', sa.Integer(), nullable=False),
    sa.Column('day', sa.Date(), nullable=False),
    sa.Column('sent_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('emailed_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['course_id'], ['course.id'], name=op.f('fk_manual_reminder_course_id_course')),
    sa.ForeignKeyConstraint(['sent_by_id'], ['user_account.id'], name=op.f('fk_manual_reminder_sent_by_id_user_account')),
    sa.ForeignKeyConstraint(['user_id'], ['user_account.id'], name=op.f('fk_manual_reminder_user_id_user_account')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_manual_reminder')),
    sa.UniqueConstraint('user_id', 'course_id', 'day', name=op.f('uq_manual_reminder_user_id_course_id_day'))
    )
    with op.batch_alter_table('manual_reminder', schema=None) as batch_op:
        batch_op.create_index('ix_manual_reminder_emailed_at_id', ['emailed_at', 'id'], unique=False)

    op.create_table('required_completion',
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('completed_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['user_account.id'], name=op.f('fk_required_completion_user_id_user_account')),
    sa.PrimaryKeyConstraint('user_id', name=op.f('pk_required_completion'))
    )
    with op.batch_alter_table('required_completion', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_required_completion_completed_at'), ['completed_at'], unique=False)

    with op.batch_alter_table('people_rollup', schema=None) as batch_op:
        batch_op.add_column(sa.Column('required_done', sa.Integer(), server_default='0', nullable=False))

    _recount()


OFFICIALS = "u.active AND u.category IN ('can_bo', 'cong_chuc')"


def _recount() -> None:
    """Total rows and daily completions count officials only; fill the honour record."""
    bind = op.get_bind()
    true = "true" if bind.dialect.name == "postgresql" else "1"
    officials = OFFICIALS.replace("u.active", f"u.active = {true}")
    day = (
        "CAST(timezone('Asia/Ho_Chi_Minh', p.completed_at) AS DATE)"
        if bind.dialect.name == "postgresql"
        else "date(p.completed_at, '+7 hours')"
    )
    op.execute(
        f"""INSERT INTO required_completion (user_id, completed_at)
        SELECT p.user_id, MAX(p.completed_at) FROM course_progress p
        JOIN course c ON c.id = p.course_id
        WHERE c.status = 'published' AND c.required = {true} AND p.completed_at IS NOT NULL
        GROUP BY p.user_id
        HAVING COUNT(*) = (SELECT COUNT(*) FROM course
                           WHERE status = 'published' AND required = {true})"""
    )
    op.execute(
        f"""UPDATE people_rollup SET required_done = (
            SELECT COUNT(*) FROM user_account u JOIN required_completion r ON r.user_id = u.id
            WHERE u.active = {true} AND u.unit_id = people_rollup.unit_id
              AND u.category = people_rollup.category
              AND COALESCE(u.it_level, '') = people_rollup.it_level)
        WHERE category <> '*'"""
    )
    op.execute("DELETE FROM people_rollup WHERE category = '*'")
    op.execute(
        """INSERT INTO people_rollup (unit_id, category, it_level, officials, required_done)
        SELECT unit_id, '*', '*', SUM(officials), SUM(required_done) FROM people_rollup
        WHERE category IN ('can_bo', 'cong_chuc') GROUP BY unit_id"""
    )
    op.execute("DELETE FROM course_rollup WHERE category = '*'")
    op.execute(
        """INSERT INTO course_rollup (unit_id, course_id, category, it_level, started, completed)
        SELECT unit_id, course_id, '*', '*', SUM(started), SUM(completed) FROM course_rollup
        WHERE category IN ('can_bo', 'cong_chuc') GROUP BY unit_id, course_id"""
    )
    op.execute("DELETE FROM completion_rollup")
    op.execute(
        f"""INSERT INTO completion_rollup (unit_id, course_id, day, completions)
        SELECT u.unit_id, p.course_id, {day}, COUNT(*) FROM course_progress p
        JOIN user_account u ON u.id = p.user_id
        WHERE {officials} AND p.completed_at IS NOT NULL
        GROUP BY u.unit_id, p.course_id, {day}"""
    )


def downgrade():
    # The total rows keep counting officials only; rebuild the rollups after a downgrade.
    with op.batch_alter_table('people_rollup', schema=None) as batch_op:
        batch_op.drop_column('required_done')

    with op.batch_alter_table('required_completion', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_required_completion_completed_at'))

    op.drop_table('required_completion')
    with op.batch_alter_table('manual_reminder', schema=None) as batch_op:
        batch_op.drop_index('ix_manual_reminder_emailed_at_id')

    op.drop_table('manual_reminder')
