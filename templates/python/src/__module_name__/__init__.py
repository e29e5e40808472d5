"""{{ display_name }}: an MCP server. See server.py for what it serves, __main__.py for how it runs."""
