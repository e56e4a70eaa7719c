"""Tables of the knowledge base (SQLAlchemy Core), the same on SQLite and PostgreSQL.

Migrations (migrations/versions) create them; this module is what the code queries. A document is
known by the SHA-256 of its bytes; its original bytes are kept in `originals`, so a store can
always be re-extracted and nothing ingested is ever lost.
"""
from __future__ import annotations

from sqlalchemy import (BigInteger, Boolean, Column, Float, ForeignKey, Index, Integer, LargeBinary, MetaData, String,
                        Table, Text, UniqueConstraint)

metadata = MetaData()

originals = Table(
    "originals", metadata,
    Column("sha256", String(64), primary_key=True),
    Column("data", LargeBinary, nullable=False),
)

documents = Table(
    "documents", metadata,
    Column("id", Integer, primary_key=True),
    Column("sha256", String(64), ForeignKey("originals.sha256"), nullable=False, unique=True),
    Column("source", Text, nullable=False),
    Column("format", String(16)),
    Column("encoding", String(32)),
    Column("language", String(8)),
    Column("title", Text),
    Column("published", String(10)),
    Column("text", Text, nullable=False),  # the decoded text every offset indexes
    Column("lemmas", Text, nullable=False),  # the text's matching keys, for full-text search
    Column("record", Text, nullable=False),  # the extraction record as JSON
    Column("extractor", String(32), nullable=False),
    Column("ingested_at", String(32), nullable=False),
    Column("duplicate_of", Integer, ForeignKey("documents.id")),
    # the filter values as words of the full-text index (facets.py): migration 0007
    Column("facets", Text, nullable=False, server_default=""),
    # where a document followed from a source came from (kurultai/watch): migration 0008
    Column("watch_source_id", Integer),
    Column("url", Text),
    Column("fetched_at", String(32)),
    Column("page_date", String(10)),
    # ix_documents_published (published, id) holding the facets, newest first on PostgreSQL: migrations 0005, 0007
    Index("ix_documents_language", "language"),  # migration 0006
)

signatures = Table(
    "signatures", metadata,
    Column("document_id", Integer, ForeignKey("documents.id"), primary_key=True),
    Column("minhash", LargeBinary, nullable=False),  # scale/dedup.py: PERMUTATIONS values of DTYPE
)

failures = Table(
    "failures", metadata,
    Column("id", Integer, primary_key=True),
    Column("source", Text, nullable=False),
    Column("sha256", String(64)),
    Column("error", Text, nullable=False),
    Column("at", String(32), nullable=False),
)

entities = Table(
    "entities", metadata,
    Column("id", Integer, primary_key=True),
    Column("kind", String(8), nullable=False),  # org | person
    Column("name", Text, nullable=False),
    Column("short", Text),
    Column("country", String(2)),
    Column("registry_id", String(64)),
    Column("key", Text, nullable=False),  # the normalised name it is found under
    Column("affiliation_id", Integer, ForeignKey("entities.id")),
    Column("org_kind", String(16)),
    Index("ix_entities_kind_key", "kind", "key"),
    Index("ix_entities_registry", "registry_id"),
)

aliases = Table(
    "aliases", metadata,
    Column("id", Integer, primary_key=True),
    Column("entity_id", Integer, ForeignKey("entities.id"), nullable=False),
    Column("alias", Text, nullable=False),
    Column("norm", Text, nullable=False),
    Column("document_id", Integer, ForeignKey("documents.id")),  # where it was first seen
    UniqueConstraint("entity_id", "norm", name="uq_alias_entity_norm"),
    Index("ix_aliases_norm", "norm"),
)

mentions = Table(
    "mentions", metadata,
    Column("id", Integer, primary_key=True),
    Column("document_id", Integer, ForeignKey("documents.id"), nullable=False),
    Column("entity_id", Integer, ForeignKey("entities.id"), nullable=False),
    Column("local_id", String(16), nullable=False),  # o1 / p3 in the document's record
    Column("start", Integer, nullable=False),
    Column("end", Integer, nullable=False),
    Column("text", Text, nullable=False),
    Index("ix_mentions_entity_document", "entity_id", "document_id"),  # migration 0006
    Index("ix_mentions_document", "document_id"),
)

events = Table(
    "events", metadata,
    Column("id", Integer, primary_key=True),
    Column("document_id", Integer, ForeignKey("documents.id"), nullable=False),
    Column("idx", Integer, nullable=False),
    Column("type", String(16), nullable=False),
    Column("title", Text),
    Column("date", String(10)),
    Column("year", Integer),
    Column("year_inferred", Boolean),
    Column("basis", Text),
    Column("format", String(8)),
    Column("place", Text),
    Index("ix_events_document", "document_id"),
    Index("ix_events_date_document", "date", "document_id"),  # migration 0006
    Index("ix_events_type_document", "type", "document_id"),  # migration 0005
)

event_entities = Table(
    "event_entities", metadata,
    Column("event_id", Integer, ForeignKey("events.id"), nullable=False),
    Column("entity_id", Integer, ForeignKey("entities.id"), nullable=False),
    Column("role", String(16), nullable=False),  # organizer | participant | speaker
    Index("ix_event_entities_entity", "entity_id"),
    Index("ix_event_entities_event", "event_id"),
)

event_tags = Table(
    "event_tags", metadata,
    Column("event_id", Integer, ForeignKey("events.id"), nullable=False),
    Column("kind", String(16), nullable=False),  # country | direction | threat | framework
    Column("value", String(32), nullable=False),
    Index("ix_event_tags_kind_value_event", "kind", "value", "event_id"),  # migration 0005
    Index("ix_event_tags_event", "event_id"),
)

event_references = Table(
    "event_references", metadata,
    Column("event_id", Integer, ForeignKey("events.id"), nullable=False),
    Column("title", Text, nullable=False),
    Column("date", String(10)),
)

outcomes = Table(
    "outcomes", metadata,
    Column("event_id", Integer, ForeignKey("events.id"), nullable=False),
    Column("kind", String(16), nullable=False),
    Column("start", Integer, nullable=False),
    Column("end", Integer, nullable=False),
    Column("text", Text, nullable=False),
)

merges = Table(
    "merges", metadata,
    Column("id", Integer, primary_key=True),
    Column("action", String(8), nullable=False),  # merge | split
    Column("entity_id", Integer, nullable=False),
    Column("other_id", Integer, nullable=False),
    Column("detail", Text),
    Column("at", String(32), nullable=False),
)

store_state = Table(
    "store_state", metadata,  # migration 0010: ("generation", write transactions committed), see db.Store.begin
    Column("name", String(32), primary_key=True),
    Column("value", BigInteger, nullable=False),
)

# Tables that hang off a document, in the order they are cleared when it is re-extracted.
DOCUMENT_CHILDREN = ("outcomes", "event_references", "event_tags", "event_entities", "events", "mentions")

# -- users (everything that writes through the web needs one) ------------------------------------------------------

users = Table(
    "users", metadata,
    Column("id", Integer, primary_key=True),
    Column("name", String(64), nullable=False, unique=True),
    Column("password_hash", Text, nullable=False),  # argon2id, with its parameters and salt
    Column("role", String(8), nullable=False),  # admin | editor | viewer
    Column("disabled", Boolean, nullable=False, default=False),
    Column("created_at", String(32), nullable=False),
)

sign_in_tries = Table(
    "sign_in_tries", metadata,  # migration 0012: the sign-in throttle's tries (web/throttle.py), one row per key
    Column("id", Integer, primary_key=True),
    Column("key", Text, nullable=False),  # "name <address> <name key>" or "address <address>"
    Column("at", Float, nullable=False),  # Unix time: the same clock in every worker process
    Index("ix_sign_in_tries_key_at", "key", "at"),
    Index("ix_sign_in_tries_at", "at"),
)

logins = Table(
    "logins", metadata,
    Column("token_hash", String(64), primary_key=True),  # SHA-256 of the cookie's token: a stolen table opens nothing
    Column("user_id", Integer, ForeignKey("users.id"), nullable=False),
    Column("csrf", String(64), nullable=False),
    Column("created_at", String(32), nullable=False),
    Column("expires_at", String(32), nullable=False),
)

# -- the expert dialogue: sessions planned, invitations, contributions, outcomes, releases -------------------------

sessions = Table(
    "sessions", metadata,
    Column("id", Integer, primary_key=True),
    Column("title", Text, nullable=False),
    Column("title_other", Text),  # the title in the other language of releases (ru <-> en)
    Column("starts_at", String(32), nullable=False),  # ISO 8601 local time with its UTC offset
    Column("timezone", String(64), nullable=False),  # IANA name, e.g. Asia/Almaty
    Column("duration_min", Integer, nullable=False, default=120),
    Column("type", String(16), nullable=False, default="round_table"),  # an event type of the vocabulary
    Column("format", String(8), nullable=False),  # online | offline | hybrid
    Column("link", Text),
    Column("venue", Text),
    Column("organizer_id", Integer, ForeignKey("entities.id")),
    Column("organizer", Text),  # the organising institution's name as it is to be printed
    Column("moderator", Text),
    Column("language", String(2), nullable=False, default="ru"),
    Column("status", String(12), nullable=False, default="planned"),  # planned | held | published
    Column("agenda", Text, nullable=False, default="[]"),  # JSON list of accepted agenda items
    Column("created_by", Integer, ForeignKey("users.id")),
    Column("created_at", String(32), nullable=False),
    Column("published_at", String(32)),
    Column("document_id", Integer, ForeignKey("documents.id")),  # the release, once ingested
)

invitations = Table(
    "invitations", metadata,
    Column("id", Integer, primary_key=True),
    Column("session_id", Integer, ForeignKey("sessions.id"), nullable=False),
    Column("kind", String(8), nullable=False),  # org | person
    Column("entity_id", Integer, ForeignKey("entities.id")),
    Column("name", Text, nullable=False),
    Column("institution", Text),  # a person's institution, as printed
    Column("country", String(2)),
    Column("email", Text),
    Column("language", String(2), nullable=False, default="ru"),
    Column("status", String(10), nullable=False, default="pending"),  # pending | sent | accepted | declined
    Column("created_at", String(32), nullable=False),
    UniqueConstraint("session_id", "kind", "name", name="uq_invitation"),
    Index("ix_invitations_session", "session_id"),
)

contributions = Table(
    "contributions", metadata,
    Column("id", Integer, primary_key=True),
    Column("session_id", Integer, ForeignKey("sessions.id"), nullable=False),
    Column("speaker", Text, nullable=False),
    Column("institution", Text),
    Column("institution_id", Integer, ForeignKey("entities.id")),
    Column("country", String(2)),
    Column("text", Text, nullable=False),
    Column("source", Text),  # the transcript's file name, when uploaded
    Column("tags", Text, nullable=False, default="{}"),  # JSON: directions, threats, frameworks with evidence
    Column("corrected", Boolean, nullable=False, default=False),  # tags edited by an editor
    Column("created_at", String(32), nullable=False),
    Index("ix_contributions_session", "session_id"),
)

session_outcomes = Table(
    "session_outcomes", metadata,
    Column("id", Integer, primary_key=True),
    Column("session_id", Integer, ForeignKey("sessions.id"), nullable=False),
    Column("contribution_id", Integer, ForeignKey("contributions.id")),
    Column("kind", String(16), nullable=False),  # an outcome kind of the vocabulary
    Column("text", Text, nullable=False),
    Column("text_other", Text),  # the same in the other language of releases
    Column("created_at", String(32), nullable=False),
    Index("ix_session_outcomes_session", "session_id"),
)

# -- following sources and alerts (kurultai/watch): migration 0008 ----------------------------------------------------

watch_sources = Table(
    "watch_sources", metadata,
    Column("id", Integer, primary_key=True),
    Column("url", Text, nullable=False, unique=True),  # a feed, sitemap or listing URL, or a Telegram export folder
    Column("name", Text, nullable=False),
    Column("kind", String(16), nullable=False, default="auto"),  # auto | feed | sitemap | listing | telegram
    Column("every_s", Integer, nullable=False, default=21600),
    Column("allow_private", Boolean, nullable=False, default=False),
    Column("depth", Integer, nullable=False, default=1),  # listing pages followed, the first included
    Column("match", Text),  # a regular expression an item's URL must contain
    Column("paused", Boolean, nullable=False, default=False),
    Column("etag", Text),  # of the source's own URL, for a conditional request
    Column("last_modified", Text),
    Column("next_run_at", String(32), nullable=False),
    Column("last_run_at", String(32)),
    Column("last_success_at", String(32)),
    Column("last_error", Text),
    Column("last_error_at", String(32)),
    Column("failures", Integer, nullable=False, default=0),  # runs failed in a row
    Column("documents_found", Integer, nullable=False, default=0),
    Column("created_at", String(32), nullable=False),
)

watch_items = Table(
    "watch_items", metadata,
    Column("id", Integer, primary_key=True),
    Column("source_id", Integer, ForeignKey("watch_sources.id", ondelete="CASCADE"), nullable=False),
    Column("url", Text, nullable=False, unique=True),  # normalised (kurultai/watch/urls.py)
    Column("sha256", String(64)),
    Column("status", String(12), nullable=False),  # new | unchanged | unreadable | failed
    Column("document_id", Integer, ForeignKey("documents.id")),
    Column("attempts", Integer, nullable=False, default=0),
    Column("error", Text),
    Column("fetched_at", String(32), nullable=False),
    Index("ix_watch_items_source", "source_id"),
    Index("ix_watch_items_sha256", "sha256"),
)

alerts = Table(
    "alerts", metadata,
    Column("id", Integer, primary_key=True),
    Column("query", Text, nullable=False, default=""),
    Column("filters", Text, nullable=False, default="{}"),  # JSON of search.Filters' fields that are set
    Column("email", Text),  # where the digest goes, when SMTP is configured
    Column("user_id", Integer, ForeignKey("users.id")),
    Column("token", String(64), nullable=False),  # the private token of its Atom feed's URL
    Column("last_document_id", Integer, nullable=False, default=0),  # documents up to it were looked at
    Column("last_run_at", String(32)),
    Column("created_at", String(32), nullable=False),
)

alert_matches = Table(
    "alert_matches", metadata,
    Column("alert_id", Integer, ForeignKey("alerts.id", ondelete="CASCADE"), primary_key=True),
    Column("document_id", Integer, ForeignKey("documents.id"), primary_key=True),
    Column("found_at", String(32), nullable=False),
    Column("sent", Boolean, nullable=False, default=False),  # e-mailed in a digest
)

# -- the review queue of possible duplicates (store/review*.py): migration 0011 -------------------------------------

review_log = Table(
    "review_log", metadata,  # every editor's decision on the queue, with what undoing it needs
    Column("id", Integer, primary_key=True),
    Column("action", String(12), nullable=False),  # merge | split | not_same
    Column("kind", String(8), nullable=False),  # org | person
    Column("entity_id", Integer, nullable=False),  # merge: kept; split: split from; not_same: the lower id
    Column("other_id", Integer, nullable=False),  # merge: merged away; split: the new entity; not_same: the higher id
    Column("summary", Text, nullable=False),  # the names as they were, for the log's reader
    Column("state", Text, nullable=False),  # JSON: the state the action changed (review_actions.py)
    Column("user_id", Integer, ForeignKey("users.id")),
    Column("user_name", String(64), nullable=False),  # the user's name, or who ran the command line
    Column("at", String(32), nullable=False),
    Column("undone_at", String(32)),
    Column("undone_by", String(64)),
    Index("ix_review_log_entity", "entity_id"),
    Index("ix_review_log_other", "other_id"),
)

review_not_same = Table(
    "review_not_same", metadata,  # pairs an editor said are two: never proposed again (no foreign keys:
    Column("entity_a", Integer, primary_key=True),  # a merge deletes entities, and these stay as they were)
    Column("entity_b", Integer, primary_key=True),  # entity_a < entity_b
    Column("log_id", Integer, ForeignKey("review_log.id")),
    Column("at", String(32), nullable=False),
)
