"""The web interface and its JSON API over a knowledge base: `kurultai serve`.

    from kurultai.web import Settings, create_app, serve
    app = create_app("kurultai.db")
    serve(Settings(db="kurultai.db", workers=2))
"""
from .app import create_app
from .serving import Settings, serve

__all__ = ["Settings", "create_app", "serve"]
