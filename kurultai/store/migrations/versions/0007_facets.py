"""Filter values as words of the full-text index (kurultai/store/facets.py).

- documents.facets: the document's facets (`country:kz year:2022 ...`), filled here from the
  stored events, tags and language;
- SQLite: documents_fts made again with a `facets` column beside the lemmas;
- PostgreSQL: the tsvector made again with the facets, the document's span and block added as lexemes;
- the publication-date index also holds the facets, so that a filtered list walks it alone.

On a large store this reads every document's events and rewrites its full-text row: minutes at
100,000 documents.

Revision ID: 0007
Revises: 0006
"""
import sqlalchemy as sa
from alembic import op

from kurultai.store.facets import FTS5_SQL, TAGS, facet

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None

CHUNK = 5000


def upgrade():
    conn = op.get_bind()
    sqlite = conn.dialect.name == "sqlite"
    op.add_column("documents", sa.Column("facets", sa.Text, nullable=False, server_default=""))
    kinds = {v: v for v in TAGS.values()}
    last = 0
    while True:  # in chunks of documents, so memory stays flat on a large store
        ids = conn.execute(sa.text("SELECT id, language FROM documents WHERE id > :last ORDER BY id LIMIT :n"),
                           {"last": last, "n": CHUNK}).all()
        if not ids:
            break
        first, last = ids[0][0], ids[-1][0]
        found: dict[int, set] = {i: ({facet("language", lang)} if lang else set()) for i, lang in ids}
        for doc, type_, year in conn.execute(sa.text(
                "SELECT document_id, type, year FROM events WHERE document_id BETWEEN :a AND :b"), {"a": first, "b": last}):
            found[doc].add(facet("type", type_))
            if year is not None:
                found[doc].add(facet("year", f"{year:04d}"))
        for doc, kind, value in conn.execute(sa.text(
                "SELECT e.document_id, t.kind, t.value FROM events e JOIN event_tags t ON t.event_id = e.id "
                "WHERE e.document_id BETWEEN :a AND :b"), {"a": first, "b": last}):
            if kind in kinds:
                found[doc].add(facet(kind, value))
        conn.execute(sa.text("UPDATE documents SET facets = :f WHERE id = :id"),
                     [{"id": i, "f": " ".join(sorted(f))} for i, f in found.items() if f])
    op.drop_index("ix_documents_published", table_name="documents")
    if sqlite:
        op.execute("DROP TABLE documents_fts")
        op.execute("CREATE VIRTUAL TABLE documents_fts USING fts5(lemmas, facets, tokenize='unicode61 remove_diacritics 0')")
        op.execute("INSERT INTO documents_fts (rowid, lemmas, facets) "
                   f"SELECT id, lemmas, {FTS5_SQL.format('facets')} FROM documents")
        op.create_index("ix_documents_published", "documents", ["published", "id", "facets"])
    else:
        op.execute("DROP INDEX IF EXISTS ix_documents_tsv")
        op.execute("ALTER TABLE documents DROP COLUMN tsv")
        op.execute("ALTER TABLE documents ADD COLUMN tsv tsvector GENERATED ALWAYS AS "
                   "(to_tsvector('russian', lemmas) || array_to_tsvector(string_to_array(facets, ' ') "
                   "|| ('span:' || (id / 4096))::text || ('block:' || (id / 65536))::text)) STORED")  # facets.SPAN, BLOCK
        op.execute("CREATE INDEX ix_documents_tsv ON documents USING GIN (tsv)")
        op.execute("CREATE INDEX ix_documents_published ON documents (published DESC NULLS LAST, id DESC) INCLUDE (facets)")
        op.execute("ANALYZE documents")  # search's plan choice reads the new vectors' statistics


def downgrade():
    conn = op.get_bind()
    op.drop_index("ix_documents_published", table_name="documents")
    if conn.dialect.name == "sqlite":
        op.execute("DROP TABLE documents_fts")
        op.execute("CREATE VIRTUAL TABLE documents_fts USING fts5(lemmas, tokenize='unicode61 remove_diacritics 0')")
        op.execute("INSERT INTO documents_fts (rowid, lemmas) SELECT id, lemmas FROM documents")
        op.create_index("ix_documents_published", "documents", ["published", "id"])
    else:
        op.execute("DROP INDEX IF EXISTS ix_documents_tsv")
        op.execute("ALTER TABLE documents DROP COLUMN tsv")
        op.execute("ALTER TABLE documents ADD COLUMN tsv tsvector GENERATED ALWAYS AS (to_tsvector('russian', lemmas)) STORED")
        op.execute("CREATE INDEX ix_documents_tsv ON documents USING GIN (tsv)")
        op.execute("CREATE INDEX ix_documents_published ON documents (published DESC NULLS LAST, id DESC)")
    op.drop_column("documents", "facets")
