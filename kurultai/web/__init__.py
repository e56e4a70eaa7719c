"""The web interface and its JSON API over a knowledge base: `kurultai serve`.

    from kurultai.web import create_app, serve
    app = create_app("kurultai.db")
"""
from .app import create_app, serve

__all__ = ["create_app", "serve"]
