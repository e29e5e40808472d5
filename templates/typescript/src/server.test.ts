/**
 * Every tool, resource and prompt, called through a real MCP client connected in memory.
 *
 * The server side is `serveStdio`, the same entry `{{ project_name }}` runs, over an in-memory transport
 * instead of the process's stdio. Each suite runs twice: `legacy` opens with the 2025 `initialize`
 * handshake that today's desktop clients use, `auto` negotiates the 2026-07-28 protocol.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';

import { Client, InMemoryTransport } from '@modelcontextprotocol/client';
import { serveStdio } from '@modelcontextprotocol/server/stdio';

import { createServer, DESCRIPTION, NAME, VERSION } from './server.js';

type Content = Awaited<ReturnType<Client['callTool']>>['content'];

function textOf(content: Content): string {
  assert.equal(content.length, 1);
  const [item] = content;
  assert.ok(item?.type === 'text', `expected one text item, got ${JSON.stringify(content)}`);
  return item.text;
}

for (const mode of ['legacy', 'auto'] as const) {
  describe(`through an in-memory client (${mode})`, () => {
    const client = new Client({ name: 'test', version: '0.0.0' }, { versionNegotiation: { mode } });
    let closeServer: () => Promise<void>;

    before(async () => {
      const [clientSide, serverSide] = InMemoryTransport.createLinkedPair();
      const served = serveStdio(createServer, { transport: serverSide });
      closeServer = () => served.close();
      await client.connect(clientSide);
    });

    after(async () => {
      await client.close();
      await closeServer();
    });

    test('the server identifies itself', () => {
      const info = client.getServerVersion();
      assert.equal(info?.name, NAME);
      assert.equal(info?.version, VERSION);
    });

    test('lists the tools with their schemas', async () => {
      const { tools } = await client.listTools();
      assert.deepEqual(tools.map((tool) => tool.name).sort(), ['add', 'echo']);
      const add = tools.find((tool) => tool.name === 'add');
      assert.deepEqual(add?.inputSchema.required, ['a', 'b']);
      assert.equal((add?.inputSchema.properties?.a as { type?: string }).type, 'integer');
    });

    test('add returns the sum as text and structured content', async () => {
      const result = await client.callTool({ name: 'add', arguments: { a: 2, b: 3 } });
      assert.ok(!result.isError);
      assert.equal(textOf(result.content), '5');
      assert.deepEqual(result.structuredContent, { result: 5 });
    });

    test('add rejects arguments that are not integers', async () => {
      const result = await client.callTool({ name: 'add', arguments: { a: 'two', b: 3 } });
      assert.equal(result.isError, true);
      assert.match(textOf(result.content), /\ba: .*expected number/);
    });

    test('add reports a sum too large for JSON', async () => {
      const result = await client.callTool({ name: 'add', arguments: { a: Number.MAX_SAFE_INTEGER, b: 1 } });
      assert.equal(result.isError, true);
      assert.match(textOf(result.content), /does not fit in a JSON number/);
    });

    test('echo returns the message unchanged', async () => {
      const message = '  Hello, MCP! {braces} ünïcødé\n';
      const result = await client.callTool({ name: 'echo', arguments: { message } });
      assert.ok(!result.isError);
      assert.equal(textOf(result.content), message);
    });

    test('info://server describes the server', async () => {
      const { resources } = await client.listResources();
      assert.ok(resources.some((resource) => resource.uri === 'info://server'));
      const [contents] = (await client.readResource({ uri: 'info://server' })).contents;
      assert.equal(contents?.mimeType, 'application/json');
      assert.ok(contents && 'text' in contents);
      assert.deepEqual(JSON.parse(contents.text), { name: NAME, version: VERSION, description: DESCRIPTION });
    });

    test('greeting://{name} greets by name', async () => {
      const { resourceTemplates } = await client.listResourceTemplates();
      assert.deepEqual(
        resourceTemplates.map((template) => template.uriTemplate),
        ['greeting://{name}'],
      );
      const [contents] = (await client.readResource({ uri: 'greeting://Ada' })).contents;
      assert.ok(contents && 'text' in contents);
      assert.equal(contents.text, 'Hello, Ada!');
    });

    test('summarize asks the model to summarize the text', async () => {
      const { prompts } = await client.listPrompts();
      assert.deepEqual(
        prompts.map((prompt) => [prompt.name, prompt.arguments?.map((arg) => [arg.name, arg.required])]),
        [['summarize', [['text', true]]]],
      );
      const { messages } = await client.getPrompt({
        name: 'summarize',
        arguments: { text: 'MCP connects models to tools.' },
      });
      assert.equal(messages.length, 1);
      const [message] = messages;
      assert.equal(message?.role, 'user');
      assert.ok(message?.content.type === 'text');
      assert.match(message.content.text, /summarize/);
      assert.match(message.content.text, /MCP connects models to tools\./);
    });
  });
}
