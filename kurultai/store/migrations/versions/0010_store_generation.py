"""The store's write generation: a counter every write transaction bumps (db.Store.begin).

A writer that keeps entities in memory between its transactions (an ingest run's resolve.Index)
compares it with the value its own last transaction left: any other value means another writer
committed in between, and what it keeps is read again from the tables.

Revision ID: 0010
Revises: 0007
"""
import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade():
    state = op.create_table(
        "store_state",
        sa.Column("name", sa.String(32), primary_key=True),
        sa.Column("value", sa.BigInteger, nullable=False),
    )
    op.bulk_insert(state, [{"name": "generation", "value": 0}])


def downgrade():
    op.drop_table("store_state")
