"""The county hub's HTTP side: the sync API (FastAPI) and its server (uvicorn). It holds no
business logic: every request is a call into counter_tui.sync in one database transaction."""
