"""The sign-in throttle's failed tries, kept in the store so that every worker process of
`kurultai serve --workers N` (and every server on one store) counts the same tries
(kurultai/web/throttle.py).

Revision ID: 0012
Revises: 0011
"""
import sqlalchemy as sa
from alembic import op

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table("sign_in_tries",
                    sa.Column("id", sa.Integer, primary_key=True),
                    sa.Column("key", sa.Text, nullable=False),
                    sa.Column("at", sa.Float, nullable=False))
    op.create_index("ix_sign_in_tries_key_at", "sign_in_tries", ["key", "at"])
    op.create_index("ix_sign_in_tries_at", "sign_in_tries", ["at"])


def downgrade():
    op.drop_index("ix_sign_in_tries_at", table_name="sign_in_tries")
    op.drop_index("ix_sign_in_tries_key_at", table_name="sign_in_tries")
    op.drop_table("sign_in_tries")
