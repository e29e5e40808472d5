"""Every tool, resource and prompt, called through a real MCP client connected in memory.

Each test runs twice: `legacy` opens with the 2025 `initialize` handshake that today's desktop
clients use, `auto` negotiates the 2026-07-28 protocol.
"""

import json
from collections.abc import AsyncIterator

import pytest
from mcp import Client
from mcp.types import TextContent, TextResourceContents

from {{ module_name }}.server import DESCRIPTION, NAME, VERSION, mcp

pytestmark = pytest.mark.anyio


@pytest.fixture(params=["legacy", "auto"])
async def client(request: pytest.FixtureRequest) -> AsyncIterator[Client]:
    async with Client(mcp, mode=request.param) as client:
        yield client


def text_of(content: list) -> str:
    assert len(content) == 1 and isinstance(content[0], TextContent), content
    return content[0].text


async def test_server_identifies_itself(client: Client) -> None:
    assert client.server_info is not None
    assert (client.server_info.name, client.server_info.version) == (NAME, VERSION)


async def test_lists_the_tools_with_their_schemas(client: Client) -> None:
    tools = {tool.name: tool for tool in (await client.list_tools()).tools}
    assert set(tools) == {"add", "echo"}
    add = tools["add"].input_schema
    assert add["required"] == ["a", "b"]
    assert add["properties"]["a"]["type"] == add["properties"]["b"]["type"] == "integer"


async def test_add_returns_the_sum_as_text_and_structured_content(client: Client) -> None:
    result = await client.call_tool("add", {"a": 2, "b": 3})
    assert not result.is_error
    assert text_of(result.content) == "5"
    assert result.structured_content == {"result": 5}


async def test_add_rejects_arguments_that_are_not_integers(client: Client) -> None:
    result = await client.call_tool("add", {"a": "two", "b": 3})
    assert result.is_error
    assert "valid integer" in text_of(result.content)


async def test_add_reports_a_sum_too_large_for_json(client: Client) -> None:
    result = await client.call_tool("add", {"a": 2**53, "b": 1})
    assert result.is_error
    assert "does not fit in a JSON number" in text_of(result.content)


async def test_echo_returns_the_message_unchanged(client: Client) -> None:
    message = "  Hello, MCP! {braces} ünïcødé\n"
    result = await client.call_tool("echo", {"message": message})
    assert not result.is_error
    assert text_of(result.content) == message


async def test_info_resource_describes_the_server(client: Client) -> None:
    assert "info://server" in [str(r.uri) for r in (await client.list_resources()).resources]
    (contents,) = (await client.read_resource("info://server")).contents
    assert isinstance(contents, TextResourceContents)
    assert contents.mime_type == "application/json"
    assert json.loads(contents.text) == {"name": NAME, "version": VERSION, "description": DESCRIPTION}


async def test_greeting_template_greets_by_name(client: Client) -> None:
    templates = (await client.list_resource_templates()).resource_templates
    assert [t.uri_template for t in templates] == ["greeting://{name}"]
    (contents,) = (await client.read_resource("greeting://Ada")).contents
    assert isinstance(contents, TextResourceContents)
    assert contents.text == "Hello, Ada!"


async def test_summarize_prompt_asks_to_summarize_the_text(client: Client) -> None:
    (prompt,) = (await client.list_prompts()).prompts
    assert prompt.name == "summarize"
    assert [(arg.name, arg.required) for arg in prompt.arguments or []] == [("text", True)]

    result = await client.get_prompt("summarize", {"text": "MCP connects models to tools."})
    (message,) = result.messages
    assert message.role == "user"
    assert isinstance(message.content, TextContent)
    assert "summarize" in message.content.text
    assert "MCP connects models to tools." in message.content.text
