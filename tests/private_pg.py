"""A PostgreSQL database of a test module's own, beside the shared $KURULTAI_TEST_PG one: tests
that must see the store change only by their own hand (faults, attacks) cannot share a database
that other tests wipe at any moment."""
from __future__ import annotations

import os

from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from kurultai.store.db import engine_url


def private_pg(name: str) -> str:
    """The URL of database `name` on the test server, created the first time (the test role is a
    superuser in CI); the shared database's URL when it cannot be created."""
    shared = os.environ["KURULTAI_TEST_PG"]
    admin = create_engine(engine_url(shared), isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as conn:
            if not conn.execute(text("SELECT 1 FROM pg_database WHERE datname = :name"), {"name": name}).scalar():
                conn.execute(text(f'CREATE DATABASE "{name}"'))
    except Exception:  # no right to create databases: share, and live with the odd wipe
        return shared
    finally:
        admin.dispose()
    return make_url(shared).set(database=name).render_as_string(hide_password=False)
