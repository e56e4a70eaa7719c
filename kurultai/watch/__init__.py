"""Following sites: listing their new pages (feeds, sitemaps, listings), fetching them politely and
storing them through the ingest stage; and the saved searches (alerts) mailed when new documents match."""
