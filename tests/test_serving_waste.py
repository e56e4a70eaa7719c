"""What a served page must not redo on every request (issue 20's load target): open the SQLite
file again (a new connection runs the pragmas, parses the schema and starts with an empty page
cache) or look at the templates on disk. Both cost every worker process of `serve --workers N`
on every request."""
from __future__ import annotations

import os
import warnings
from contextlib import ExitStack

from sqlalchemy import event, text

from kurultai.store import Store

with warnings.catch_warnings():  # Starlette's notice that it will prefer httpx2 one day
    warnings.simplefilter("ignore")
    from fastapi.testclient import TestClient  # noqa: E402

from kurultai.web.app import create_app  # noqa: E402


def test_a_sqlite_store_keeps_the_connections_of_as_many_threads_as_the_server_runs(tmp_path):
    store = Store.open(str(tmp_path / "k.db"))
    opened = []
    event.listen(store.engine, "connect", lambda *_: opened.append(1))
    try:
        after = []
        for _ in range(3):  # three waves of 30 requests at once, as 50 clients on one process make
            with ExitStack() as held:
                for _ in range(30):
                    held.enter_context(store.connect()).execute(text("SELECT 1"))
            after.append(len(opened))
        assert after[0] >= 25 and after[1] == after[2] == after[0]  # the first wave's, kept (5 were, before)
        assert store.engine.pool.checkedin() == 30
    finally:
        store.close()


def test_a_page_does_not_look_at_its_templates_on_disk_again(store, extractor, monkeypatch):
    looked: list[str] = []
    getmtime = os.path.getmtime

    def counting(path):
        if str(path).endswith(".html"):
            looked.append(str(path))
        return getmtime(path)

    with TestClient(create_app(store.url, extractor=extractor)) as client:
        for path in ("/search?q=water", "/sources"):
            assert client.get(path).status_code == 200  # templates loaded
        monkeypatch.setattr(os.path, "getmtime", counting)
        for path in ("/search?q=water", "/search?q=forum", "/sources"):
            assert client.get(path).status_code == 200
    assert looked == []
