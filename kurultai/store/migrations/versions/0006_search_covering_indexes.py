"""Covering indexes for search's filters at 100,000 documents (bench/bulk.py): each filter's set
of document ids is read from an index alone instead of from the rows.

- documents by language: the language filter scanned every document row (1.3 s at 100,000);
- events by (date, document_id), replacing (date): a date filter;
- mentions by (entity_id, document_id), replacing (entity_id): an institution or person filter,
  and the documents of an alias.

Revision ID: 0006
Revises: 0005
"""
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade():
    op.create_index("ix_documents_language", "documents", ["language"])
    op.create_index("ix_events_date_document", "events", ["date", "document_id"])
    op.drop_index("ix_events_date", table_name="events")
    op.create_index("ix_mentions_entity_document", "mentions", ["entity_id", "document_id"])
    op.drop_index("ix_mentions_entity", table_name="mentions")


def downgrade():
    op.create_index("ix_mentions_entity", "mentions", ["entity_id"])
    op.drop_index("ix_mentions_entity_document", table_name="mentions")
    op.create_index("ix_events_date", "events", ["date"])
    op.drop_index("ix_events_date_document", table_name="events")
    op.drop_index("ix_documents_language", table_name="documents")
