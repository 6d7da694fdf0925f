"""The baseline for bench_api.py: a raw Starlette app that reads the same
body and answers with a small JSON, on the same uvicorn settings."""

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route


async def echo(request: Request) -> JSONResponse:
    body = await request.body()
    return JSONResponse({"status": "stored", "bytes": len(body)})


app = Starlette(routes=[Route("/api/advanced-monitoring/update-metrics", echo, methods=["POST"])])
