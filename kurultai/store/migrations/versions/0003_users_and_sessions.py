"""Users with roles and their logins; the expert dialogue: sessions, invitations, contributions,
outcomes.

Revision ID: 0003
Revises: 0002
"""
import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table("users",
                    sa.Column("id", sa.Integer, primary_key=True),
                    sa.Column("name", sa.String(64), nullable=False, unique=True),
                    sa.Column("password_hash", sa.Text, nullable=False),
                    sa.Column("role", sa.String(8), nullable=False),
                    sa.Column("disabled", sa.Boolean, nullable=False, server_default=sa.false()),
                    sa.Column("created_at", sa.String(32), nullable=False))
    op.create_table("logins",
                    sa.Column("token_hash", sa.String(64), primary_key=True),
                    sa.Column("user_id", sa.Integer, sa.ForeignKey("users.id"), nullable=False),
                    sa.Column("csrf", sa.String(64), nullable=False),
                    sa.Column("created_at", sa.String(32), nullable=False),
                    sa.Column("expires_at", sa.String(32), nullable=False))
    op.create_table("sessions",
                    sa.Column("id", sa.Integer, primary_key=True),
                    sa.Column("title", sa.Text, nullable=False),
                    sa.Column("title_other", sa.Text),
                    sa.Column("starts_at", sa.String(32), nullable=False),
                    sa.Column("timezone", sa.String(64), nullable=False),
                    sa.Column("duration_min", sa.Integer, nullable=False, server_default="120"),
                    sa.Column("type", sa.String(16), nullable=False, server_default="round_table"),
                    sa.Column("format", sa.String(8), nullable=False),
                    sa.Column("link", sa.Text),
                    sa.Column("venue", sa.Text),
                    sa.Column("organizer_id", sa.Integer, sa.ForeignKey("entities.id")),
                    sa.Column("organizer", sa.Text),
                    sa.Column("moderator", sa.Text),
                    sa.Column("language", sa.String(2), nullable=False, server_default="ru"),
                    sa.Column("status", sa.String(12), nullable=False, server_default="planned"),
                    sa.Column("agenda", sa.Text, nullable=False, server_default="[]"),
                    sa.Column("created_by", sa.Integer, sa.ForeignKey("users.id")),
                    sa.Column("created_at", sa.String(32), nullable=False),
                    sa.Column("published_at", sa.String(32)),
                    sa.Column("document_id", sa.Integer, sa.ForeignKey("documents.id")))
    op.create_table("invitations",
                    sa.Column("id", sa.Integer, primary_key=True),
                    sa.Column("session_id", sa.Integer, sa.ForeignKey("sessions.id"), nullable=False),
                    sa.Column("kind", sa.String(8), nullable=False),
                    sa.Column("entity_id", sa.Integer, sa.ForeignKey("entities.id")),
                    sa.Column("name", sa.Text, nullable=False),
                    sa.Column("institution", sa.Text),
                    sa.Column("country", sa.String(2)),
                    sa.Column("email", sa.Text),
                    sa.Column("language", sa.String(2), nullable=False, server_default="ru"),
                    sa.Column("status", sa.String(10), nullable=False, server_default="pending"),
                    sa.Column("created_at", sa.String(32), nullable=False),
                    sa.UniqueConstraint("session_id", "kind", "name", name="uq_invitation"))
    op.create_index("ix_invitations_session", "invitations", ["session_id"])
    op.create_table("contributions",
                    sa.Column("id", sa.Integer, primary_key=True),
                    sa.Column("session_id", sa.Integer, sa.ForeignKey("sessions.id"), nullable=False),
                    sa.Column("speaker", sa.Text, nullable=False),
                    sa.Column("institution", sa.Text),
                    sa.Column("institution_id", sa.Integer, sa.ForeignKey("entities.id")),
                    sa.Column("country", sa.String(2)),
                    sa.Column("text", sa.Text, nullable=False),
                    sa.Column("source", sa.Text),
                    sa.Column("tags", sa.Text, nullable=False, server_default="{}"),
                    sa.Column("corrected", sa.Boolean, nullable=False, server_default=sa.false()),
                    sa.Column("created_at", sa.String(32), nullable=False))
    op.create_index("ix_contributions_session", "contributions", ["session_id"])
    op.create_table("session_outcomes",
                    sa.Column("id", sa.Integer, primary_key=True),
                    sa.Column("session_id", sa.Integer, sa.ForeignKey("sessions.id"), nullable=False),
                    sa.Column("contribution_id", sa.Integer, sa.ForeignKey("contributions.id")),
                    sa.Column("kind", sa.String(16), nullable=False),
                    sa.Column("text", sa.Text, nullable=False),
                    sa.Column("text_other", sa.Text),
                    sa.Column("created_at", sa.String(32), nullable=False))
    op.create_index("ix_session_outcomes_session", "session_outcomes", ["session_id"])


def downgrade():
    for name in ("session_outcomes", "contributions", "invitations", "sessions", "logins", "users"):
        op.drop_table(name)
