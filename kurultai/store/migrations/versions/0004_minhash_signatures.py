"""MinHash signatures of documents, stored once, so that an ingest run (or a web upload) loads
them instead of recomputing every canonical document's signature from its text.

Revision ID: 0004
Revises: 0003
"""
import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table("signatures",
                    sa.Column("document_id", sa.Integer, sa.ForeignKey("documents.id"), primary_key=True),
                    sa.Column("minhash", sa.LargeBinary, nullable=False))


def downgrade():
    op.drop_table("signatures")
