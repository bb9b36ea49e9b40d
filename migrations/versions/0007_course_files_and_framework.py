"""Course files and the competency framework: domains, each course's domains, test_out.

Files linked from lessons are stored like images in media_file, whose MIME type column grows
to hold the Office types (`application/vnd.openxmlformats-officedocument.…`, 65+ characters).

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-30 01:44:34.137905

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0007'
down_revision = '0006'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('competency',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('slug', sa.String(length=64), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_competency')),
    sa.UniqueConstraint('slug', name=op.f('uq_competency_slug'))
    )
    op.create_table('course_competency',
    sa.Column('course_id', sa.Integer(), nullable=False),
    sa.Column('competency_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['competency_id'], ['competency.id'], name=op.f('fk_course_competency_competency_id_competency')),
    sa.ForeignKeyConstraint(['course_id'], ['course.id'], name=op.f('fk_course_competency_course_id_course')),
    sa.PrimaryKeyConstraint('course_id', 'competency_id', name=op.f('pk_course_competency'))
    )
    op.create_index(
        'ix_course_competency_competency_id', 'course_competency', ['competency_id', 'course_id']
    )
    # Plain ALTER TABLE on both databases: a batch copy of `course` would have to drop a
    # table other rows point to, which SQLite refuses with foreign keys on.
    op.add_column(
        'course', sa.Column('test_out', sa.Boolean(), server_default=sa.false(), nullable=False)
    )
    with op.batch_alter_table('media_file', schema=None) as batch_op:  # no row points here
        batch_op.alter_column('mime_type',
               existing_type=sa.VARCHAR(length=50),
               type_=sa.String(length=100),
               existing_nullable=False)


def downgrade():
    # Files' MIME types do not fit the old width: drop them first (images stay).
    op.execute("DELETE FROM media_file WHERE length(mime_type) > 50")
    with op.batch_alter_table('media_file', schema=None) as batch_op:
        batch_op.alter_column('mime_type',
               existing_type=sa.String(length=100),
               type_=sa.VARCHAR(length=50),
               existing_nullable=False)
    with op.batch_alter_table('course', schema=None) as batch_op:
        batch_op.drop_column('test_out')
    op.drop_index('ix_course_competency_competency_id', table_name='course_competency')
    op.drop_table('course_competency')
    op.drop_table('competency')
