"""The embedded HTTP + WebSocket API (FastAPI on uvicorn)."""
