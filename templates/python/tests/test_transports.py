"""The installed server as clients run it: a subprocess over stdio, and over HTTP with /health."""

import json
import socket
import subprocess
import sys
import time
from subprocess import DEVNULL, PIPE
import urllib.error
import urllib.request
from collections.abc import Iterator

import pytest
from mcp import Client, StdioServerParameters
from mcp.types import TextContent

from {{ module_name }}.server import NAME, VERSION

pytestmark = pytest.mark.anyio
SERVER = [sys.executable, "-m", "{{ module_name }}"]


async def test_stdio_subprocess_answers_a_client() -> None:
    params = StdioServerParameters(command=SERVER[0], args=[*SERVER[1:], "--transport", "stdio"])
    async with Client(params) as client:
        result = await client.call_tool("add", {"a": 2, "b": 3})
    assert isinstance(result.content[0], TextContent)
    assert result.content[0].text == "5"


def test_stdio_stdout_carries_only_json_rpc() -> None:
    """Anything else on stdout (a print(), a log line) would corrupt the stream that clients read."""
    initialize = {
        "jsonrpc": "2.0",
        "id": 1,
        "method": "initialize",
        "params": {"protocolVersion": "2025-11-25", "capabilities": {}, "clientInfo": {"name": "test", "version": "0"}},
    }
    with subprocess.Popen(SERVER, stdin=PIPE, stdout=PIPE, stderr=DEVNULL, text=True) as process:
        assert process.stdin and process.stdout
        process.stdin.write(json.dumps(initialize) + "\n")
        process.stdin.flush()
        reply = json.loads(process.stdout.readline())
        process.stdin.close()  # end of input: the server exits
        rest = process.stdout.read()
    assert reply["id"] == 1
    assert reply["result"]["serverInfo"]["name"] == NAME
    assert rest == ""
    assert process.returncode == 0


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def http_server() -> Iterator[str]:
    port = free_port()
    process = subprocess.Popen([*SERVER, "--transport", "http", "--host", "127.0.0.1", "--port", str(port)])
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            assert process.poll() is None, "the server exited before it answered /health"
            try:
                urllib.request.urlopen(f"{base}/health", timeout=1).close()
                break
            except OSError:
                assert time.monotonic() < deadline, "the server did not answer /health within 60 s"
                time.sleep(0.1)
        yield base
    finally:
        process.terminate()
        process.wait(timeout=10)


def test_http_health_reports_status_name_version_and_uptime(http_server: str) -> None:
    with urllib.request.urlopen(f"{http_server}/health") as response:
        assert response.status == 200
        assert response.headers["content-type"] == "application/json"
        body = json.load(response)
    assert (body["status"], body["name"], body["version"]) == ("ok", NAME, VERSION)
    assert body["uptime_seconds"] >= 0


async def test_http_serves_mcp_at_slash_mcp(http_server: str) -> None:
    async with Client(f"{http_server}/mcp", mode="legacy") as client:
        result = await client.call_tool("add", {"a": 2, "b": 3})
    assert result.structured_content == {"result": 5}


def test_http_rejects_a_foreign_host_header(http_server: str) -> None:
    headers = {"Host": "evil.example", "Content-Type": "application/json"}
    request = urllib.request.Request(f"{http_server}/mcp", data=b"{}", headers=headers)
    with pytest.raises(urllib.error.HTTPError) as rejected:
        urllib.request.urlopen(request)
    assert rejected.value.code == 421
