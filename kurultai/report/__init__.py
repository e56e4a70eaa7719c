"""Reports rendered from the store: SVG charts, and the briefing of a period as one
self-contained HTML page and a PDF. Apart from the web so that the CLI and `convene` render
them without importing a web module; the web pages call the same functions."""
