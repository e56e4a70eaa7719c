"""The review queue of possible duplicates: the log of the editors' decisions (merge, split, not
the same), each with the state undoing it needs, and the pairs said to be two entities, which the
queue never proposes again.

Revision ID: 0011
Revises: 0010
"""
import sqlalchemy as sa
from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table("review_log",
                    sa.Column("id", sa.Integer, primary_key=True),
                    sa.Column("action", sa.String(12), nullable=False),
                    sa.Column("kind", sa.String(8), nullable=False),
                    sa.Column("entity_id", sa.Integer, nullable=False),
                    sa.Column("other_id", sa.Integer, nullable=False),
                    sa.Column("summary", sa.Text, nullable=False),
                    sa.Column("state", sa.Text, nullable=False),
                    sa.Column("user_id", sa.Integer, sa.ForeignKey("users.id")),
                    sa.Column("user_name", sa.String(64), nullable=False),
                    sa.Column("at", sa.String(32), nullable=False),
                    sa.Column("undone_at", sa.String(32)),
                    sa.Column("undone_by", sa.String(64)))
    op.create_index("ix_review_log_entity", "review_log", ["entity_id"])
    op.create_index("ix_review_log_other", "review_log", ["other_id"])
    op.create_table("review_not_same",
                    sa.Column("entity_a", sa.Integer, nullable=False),
                    sa.Column("entity_b", sa.Integer, nullable=False),
                    sa.Column("log_id", sa.Integer, sa.ForeignKey("review_log.id")),
                    sa.Column("at", sa.String(32), nullable=False),
                    sa.PrimaryKeyConstraint("entity_a", "entity_b"))


def downgrade():
    op.drop_table("review_not_same")
    op.drop_index("ix_review_log_other", table_name="review_log")
    op.drop_index("ix_review_log_entity", table_name="review_log")
    op.drop_table("review_log")
