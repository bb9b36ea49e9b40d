"""The migrations build exactly the schema the models describe, on this run's database."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect

from elearn.extensions import db


def test_an_upgraded_empty_database_matches_the_models(app):
    """The session's database was created by `upgrade()` from empty; nothing may differ."""
    with app.app_context(), db.engine.connect() as connection:
        context = MigrationContext.configure(
            connection, opts={"compare_type": True, "render_as_batch": True}
        )
        assert compare_metadata(context, db.metadata) == []


def test_subtree_and_sort_indexes_exist(app):
    with app.app_context():
        inspector = inspect(db.engine)
        unit_indexes = {i["name"]: i["column_names"] for i in inspector.get_indexes("unit")}
        assert unit_indexes["ix_unit_path"] == ["path"]
        user_indexes = {i["name"]: i["column_names"] for i in inspector.get_indexes("user_account")}
        assert user_indexes["ix_user_account_unit_id_sort_key"] == ["unit_id", "sort_key"]
