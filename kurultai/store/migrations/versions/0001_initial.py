"""The first schema: documents and their originals, entities, mentions, events, full-text search.

Revision ID: 0001
"""
import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade():
    op.create_table("originals",
                    sa.Column("sha256", sa.String(64), primary_key=True),
                    sa.Column("data", sa.LargeBinary, nullable=False))
    op.create_table("documents",
                    sa.Column("id", sa.Integer, primary_key=True),
                    sa.Column("sha256", sa.String(64), sa.ForeignKey("originals.sha256"), nullable=False, unique=True),
                    sa.Column("source", sa.Text, nullable=False),
                    sa.Column("format", sa.String(16)),
                    sa.Column("encoding", sa.String(32)),
                    sa.Column("language", sa.String(8)),
                    sa.Column("title", sa.Text),
                    sa.Column("published", sa.String(10)),
                    sa.Column("text", sa.Text, nullable=False),
                    sa.Column("lemmas", sa.Text, nullable=False),
                    sa.Column("record", sa.Text, nullable=False),
                    sa.Column("extractor", sa.String(32), nullable=False),
                    sa.Column("ingested_at", sa.String(32), nullable=False),
                    sa.Column("duplicate_of", sa.Integer, sa.ForeignKey("documents.id")))
    op.create_table("failures",
                    sa.Column("id", sa.Integer, primary_key=True),
                    sa.Column("source", sa.Text, nullable=False),
                    sa.Column("sha256", sa.String(64)),
                    sa.Column("error", sa.Text, nullable=False),
                    sa.Column("at", sa.String(32), nullable=False))
    op.create_table("entities",
                    sa.Column("id", sa.Integer, primary_key=True),
                    sa.Column("kind", sa.String(8), nullable=False),
                    sa.Column("name", sa.Text, nullable=False),
                    sa.Column("short", sa.Text),
                    sa.Column("country", sa.String(2)),
                    sa.Column("registry_id", sa.String(64)),
                    sa.Column("key", sa.Text, nullable=False),
                    sa.Column("affiliation_id", sa.Integer, sa.ForeignKey("entities.id")),
                    sa.Column("org_kind", sa.String(16)))
    op.create_index("ix_entities_kind_key", "entities", ["kind", "key"])
    op.create_index("ix_entities_registry", "entities", ["registry_id"])
    op.create_table("aliases",
                    sa.Column("id", sa.Integer, primary_key=True),
                    sa.Column("entity_id", sa.Integer, sa.ForeignKey("entities.id"), nullable=False),
                    sa.Column("alias", sa.Text, nullable=False),
                    sa.Column("norm", sa.Text, nullable=False),
                    sa.Column("document_id", sa.Integer, sa.ForeignKey("documents.id")),
                    sa.UniqueConstraint("entity_id", "norm", name="uq_alias_entity_norm"))
    op.create_index("ix_aliases_norm", "aliases", ["norm"])
    op.create_table("mentions",
                    sa.Column("id", sa.Integer, primary_key=True),
                    sa.Column("document_id", sa.Integer, sa.ForeignKey("documents.id"), nullable=False),
                    sa.Column("entity_id", sa.Integer, sa.ForeignKey("entities.id"), nullable=False),
                    sa.Column("local_id", sa.String(16), nullable=False),
                    sa.Column("start", sa.Integer, nullable=False),
                    sa.Column("end", sa.Integer, nullable=False),
                    sa.Column("text", sa.Text, nullable=False))
    op.create_index("ix_mentions_entity", "mentions", ["entity_id"])
    op.create_index("ix_mentions_document", "mentions", ["document_id"])
    op.create_table("events",
                    sa.Column("id", sa.Integer, primary_key=True),
                    sa.Column("document_id", sa.Integer, sa.ForeignKey("documents.id"), nullable=False),
                    sa.Column("idx", sa.Integer, nullable=False),
                    sa.Column("type", sa.String(16), nullable=False),
                    sa.Column("title", sa.Text),
                    sa.Column("date", sa.String(10)),
                    sa.Column("year", sa.Integer),
                    sa.Column("year_inferred", sa.Boolean),
                    sa.Column("basis", sa.Text),
                    sa.Column("format", sa.String(8)),
                    sa.Column("place", sa.Text))
    op.create_index("ix_events_document", "events", ["document_id"])
    op.create_index("ix_events_date", "events", ["date"])
    op.create_table("event_entities",
                    sa.Column("event_id", sa.Integer, sa.ForeignKey("events.id"), nullable=False),
                    sa.Column("entity_id", sa.Integer, sa.ForeignKey("entities.id"), nullable=False),
                    sa.Column("role", sa.String(16), nullable=False))
    op.create_index("ix_event_entities_entity", "event_entities", ["entity_id"])
    op.create_index("ix_event_entities_event", "event_entities", ["event_id"])
    op.create_table("event_tags",
                    sa.Column("event_id", sa.Integer, sa.ForeignKey("events.id"), nullable=False),
                    sa.Column("kind", sa.String(16), nullable=False),
                    sa.Column("value", sa.String(32), nullable=False))
    op.create_index("ix_event_tags_kind_value", "event_tags", ["kind", "value"])
    op.create_index("ix_event_tags_event", "event_tags", ["event_id"])
    op.create_table("event_references",
                    sa.Column("event_id", sa.Integer, sa.ForeignKey("events.id"), nullable=False),
                    sa.Column("title", sa.Text, nullable=False),
                    sa.Column("date", sa.String(10)))
    op.create_table("outcomes",
                    sa.Column("event_id", sa.Integer, sa.ForeignKey("events.id"), nullable=False),
                    sa.Column("kind", sa.String(16), nullable=False),
                    sa.Column("start", sa.Integer, nullable=False),
                    sa.Column("end", sa.Integer, nullable=False),
                    sa.Column("text", sa.Text, nullable=False))
    op.create_table("merges",
                    sa.Column("id", sa.Integer, primary_key=True),
                    sa.Column("action", sa.String(8), nullable=False),
                    sa.Column("entity_id", sa.Integer, nullable=False),
                    sa.Column("other_id", sa.Integer, nullable=False),
                    sa.Column("detail", sa.Text),
                    sa.Column("at", sa.String(32), nullable=False))
    if op.get_bind().dialect.name == "sqlite":
        # full text over the lemmas: the index keeps its own copy, the rowid is the document's id
        op.execute("CREATE VIRTUAL TABLE documents_fts USING fts5(lemmas, tokenize='unicode61 remove_diacritics 0')")
    else:
        op.execute("ALTER TABLE documents ADD COLUMN tsv tsvector GENERATED ALWAYS AS "
                   "(to_tsvector('russian', text) || to_tsvector('simple', lemmas)) STORED")
        op.execute("CREATE INDEX ix_documents_tsv ON documents USING GIN (tsv)")


def downgrade():
    if op.get_bind().dialect.name == "sqlite":
        op.execute("DROP TABLE documents_fts")
    for table in ("merges", "outcomes", "event_references", "event_tags", "event_entities", "events", "mentions",
                  "aliases", "entities", "failures", "documents", "originals"):
        op.drop_table(table)
