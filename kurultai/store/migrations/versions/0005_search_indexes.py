"""Indexes for search at 100,000 documents and beyond (bench/bulk.py).

- documents by publication date, newest first: a filtered list without words walks it and stops
  at the page, instead of reading and sorting every matching document row;
- event tags by (kind, value, event_id): a tag filter reads the index alone;
- events by (type, document_id): a type filter reads the index instead of every event.

Revision ID: 0005
Revises: 0004
"""
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade():
    if op.get_bind().dialect.name == "postgresql":  # the order search sorts by: NULL dates last
        op.execute("CREATE INDEX ix_documents_published ON documents (published DESC NULLS LAST, id DESC)")
    else:  # SQLite puts NULLs first ascending, so last when this is walked backwards
        op.create_index("ix_documents_published", "documents", ["published", "id"])
    op.create_index("ix_event_tags_kind_value_event", "event_tags", ["kind", "value", "event_id"])
    op.drop_index("ix_event_tags_kind_value", table_name="event_tags")
    op.create_index("ix_events_type_document", "events", ["type", "document_id"])


def downgrade():
    op.drop_index("ix_events_type_document", table_name="events")
    op.create_index("ix_event_tags_kind_value", "event_tags", ["kind", "value"])
    op.drop_index("ix_event_tags_kind_value_event", table_name="event_tags")
    op.drop_index("ix_documents_published", table_name="documents")
