"""Command line: `{{ project_name }} [--transport stdio|http] [--host HOST] [--port PORT]`.

stdio (the default) is what desktop clients launch: stdout carries JSON-RPC only and every log line
goes to stderr. HTTP serves streamable HTTP at /mcp and GET /health.
"""

import argparse
import logging
import os

import uvicorn

from .server import NAME, VERSION, http_app, mcp

TRANSPORTS = ("stdio", "http")
logger = logging.getLogger(__name__)


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog=NAME, description=mcp.description)
    parser.add_argument(
        "--transport",
        default=os.environ.get("MCP_TRANSPORT", "{{ transport }}"),
        help="stdio or http (env MCP_TRANSPORT, default {{ transport }})",
    )
    parser.add_argument(
        "--host",
        default=os.environ.get("HOST", "127.0.0.1"),
        help="address to bind in HTTP mode (env HOST, default 127.0.0.1)",
    )
    parser.add_argument(
        "--port",
        type=int,
        default=os.environ.get("PORT", "{{ port }}"),
        help="port to listen on in HTTP mode (env PORT, default {{ port }})",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {VERSION}")
    args = parser.parse_args(argv)
    if args.transport not in TRANSPORTS:
        parser.error(f"transport must be stdio or http, not {args.transport!r} (check --transport or MCP_TRANSPORT)")
    return args


def main(argv: list[str] | None = None) -> None:
    args = parse_args(argv)
    try:
        if args.transport == "stdio":
            mcp.run("stdio")
        else:
            logger.info("%s %s: MCP at http://%s:%d/mcp, health at /health", NAME, VERSION, args.host, args.port)
            # log_config=None: uvicorn's records go through the root logger to stderr, like the SDK's.
            uvicorn.run(http_app(args.host), host=args.host, port=args.port, log_config=None)
    except KeyboardInterrupt:
        pass


if __name__ == "__main__":
    main()
