"""Following sources and alerting: the sources watched, the items seen of each, saved searches
(alerts) with the matches each run found, and where a document came from (its source, URL, fetch
time and the page's own date).

Revision ID: 0008
Revises: 0007
"""
import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table("watch_sources",
                    sa.Column("id", sa.Integer, primary_key=True),
                    sa.Column("url", sa.Text, nullable=False, unique=True),
                    sa.Column("name", sa.Text, nullable=False),
                    sa.Column("kind", sa.String(16), nullable=False, server_default="auto"),
                    sa.Column("every_s", sa.Integer, nullable=False, server_default="21600"),
                    sa.Column("allow_private", sa.Boolean, nullable=False, server_default=sa.false()),
                    sa.Column("depth", sa.Integer, nullable=False, server_default="1"),
                    sa.Column("match", sa.Text),
                    sa.Column("paused", sa.Boolean, nullable=False, server_default=sa.false()),
                    sa.Column("etag", sa.Text),
                    sa.Column("last_modified", sa.Text),
                    sa.Column("next_run_at", sa.String(32), nullable=False),
                    sa.Column("last_run_at", sa.String(32)),
                    sa.Column("last_success_at", sa.String(32)),
                    sa.Column("last_error", sa.Text),
                    sa.Column("last_error_at", sa.String(32)),
                    sa.Column("failures", sa.Integer, nullable=False, server_default="0"),
                    sa.Column("documents_found", sa.Integer, nullable=False, server_default="0"),
                    sa.Column("created_at", sa.String(32), nullable=False))
    op.create_table("watch_items",
                    sa.Column("id", sa.Integer, primary_key=True),
                    sa.Column("source_id", sa.Integer, sa.ForeignKey("watch_sources.id", ondelete="CASCADE"),
                              nullable=False),
                    sa.Column("url", sa.Text, nullable=False, unique=True),
                    sa.Column("sha256", sa.String(64)),
                    sa.Column("status", sa.String(12), nullable=False),
                    sa.Column("document_id", sa.Integer, sa.ForeignKey("documents.id")),
                    sa.Column("attempts", sa.Integer, nullable=False, server_default="0"),
                    sa.Column("error", sa.Text),
                    sa.Column("fetched_at", sa.String(32), nullable=False))
    op.create_index("ix_watch_items_source", "watch_items", ["source_id"])
    op.create_index("ix_watch_items_sha256", "watch_items", ["sha256"])
    op.create_table("alerts",
                    sa.Column("id", sa.Integer, primary_key=True),
                    sa.Column("query", sa.Text, nullable=False, server_default=""),
                    sa.Column("filters", sa.Text, nullable=False, server_default="{}"),
                    sa.Column("email", sa.Text),
                    sa.Column("user_id", sa.Integer, sa.ForeignKey("users.id")),
                    sa.Column("token", sa.String(64), nullable=False),
                    sa.Column("last_document_id", sa.Integer, nullable=False, server_default="0"),
                    sa.Column("last_run_at", sa.String(32)),
                    sa.Column("created_at", sa.String(32), nullable=False))
    op.create_table("alert_matches",
                    sa.Column("alert_id", sa.Integer, sa.ForeignKey("alerts.id", ondelete="CASCADE"), nullable=False),
                    sa.Column("document_id", sa.Integer, sa.ForeignKey("documents.id"), nullable=False),
                    sa.Column("found_at", sa.String(32), nullable=False),
                    sa.Column("sent", sa.Boolean, nullable=False, server_default=sa.false()),
                    sa.PrimaryKeyConstraint("alert_id", "document_id"))
    op.add_column("documents", sa.Column("watch_source_id", sa.Integer))  # no foreign key: a removed source
    op.add_column("documents", sa.Column("url", sa.Text))                 # leaves its documents in place
    op.add_column("documents", sa.Column("fetched_at", sa.String(32)))
    op.add_column("documents", sa.Column("page_date", sa.String(10)))


def downgrade():
    for column in ("page_date", "fetched_at", "url", "watch_source_id"):  # SQLite 3.35+ drops a column in place:
        op.execute(f"ALTER TABLE documents DROP COLUMN {column}")       # no copy of the table its keys point at
    op.drop_table("alert_matches")
    op.drop_table("alerts")
    op.drop_index("ix_watch_items_sha256", table_name="watch_items")
    op.drop_index("ix_watch_items_source", table_name="watch_items")
    op.drop_table("watch_items")
    op.drop_table("watch_sources")
