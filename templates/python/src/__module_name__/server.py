"""What {{ display_name }} serves: tools, resources and a prompt, plus GET /health in HTTP mode.

Add a tool by writing a typed function under `@mcp.tool()`: its docstring becomes the tool's
description, its parameters the input schema, its return type the output schema.
"""

import json
import time
from importlib.metadata import metadata
from typing import Annotated

from mcp.server.mcpserver import MCPServer
from mcp.server.mcpserver.exceptions import ToolError
from pydantic import Field
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse

_package = metadata("{{ project_name }}")  # pyproject.toml is the one place for these
NAME = _package["Name"]
VERSION = _package["Version"]
DESCRIPTION = _package["Summary"]

# Largest integer a JSON number carries exactly in every client (JavaScript's Number.MAX_SAFE_INTEGER).
MAX_SAFE_INTEGER = 2**53 - 1

mcp = MCPServer(NAME, title={{ display_name | json_encode }}, description=DESCRIPTION, version=VERSION)


@mcp.tool()
def add(
    a: Annotated[int, Field(description="The first addend.")],
    b: Annotated[int, Field(description="The second addend.")],
) -> int:
    """Add two integers and return their sum."""
    total = a + b
    if abs(total) > MAX_SAFE_INTEGER:
        # A ToolError reaches the model as an `isError` result carrying this message.
        raise ToolError(f"the sum {total} does not fit in a JSON number; keep |a + b| <= {MAX_SAFE_INTEGER}")
    return total


@mcp.tool()
def echo(message: Annotated[str, Field(description="The text to send back.")]) -> str:
    """Return the message unchanged."""
    return message


@mcp.resource("info://server", name="info", mime_type="application/json")
def info() -> str:
    """Name, version and description of this server."""
    return json.dumps({"name": NAME, "version": VERSION, "description": DESCRIPTION})


@mcp.resource("greeting://{name}", name="greeting", mime_type="text/plain")
def greeting(name: str) -> str:
    """A greeting for the given name."""
    return f"Hello, {name}!"


@mcp.prompt()
def summarize(text: Annotated[str, Field(description="The text to summarize.")]) -> str:
    """Ask the model to summarize a text."""
    return f"Please summarize the following text in a few sentences:\n\n{text}"


_started = time.monotonic()


@mcp.custom_route("/health", methods=["GET"])
async def health(request: Request) -> JSONResponse:
    """Liveness check for HTTP mode: `curl -f http://127.0.0.1:PORT/health`."""
    uptime = round(time.monotonic() - _started, 3)
    return JSONResponse({"status": "ok", "name": NAME, "version": VERSION, "uptime_seconds": uptime})


def http_app(host: str = "127.0.0.1") -> Starlette:
    """The ASGI app of HTTP mode: streamable HTTP at /mcp and GET /health.

    On a loopback host the SDK also checks the Host and Origin headers (DNS-rebinding protection).
    """
    return mcp.streamable_http_app(host=host)
