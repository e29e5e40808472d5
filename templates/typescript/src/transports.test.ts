/** The built server as clients run it: a subprocess over stdio, and over HTTP with /health. */
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { createServer, type AddressInfo } from 'node:net';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';

import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { StdioClientTransport } from '@modelcontextprotocol/client/stdio';

import { NAME, VERSION } from './server.js';

const ENTRY = fileURLToPath(new URL('./index.js', import.meta.url));

async function addTwoAndThree(client: Client): Promise<unknown> {
  const result = await client.callTool({ name: 'add', arguments: { a: 2, b: 3 } });
  return result.structuredContent;
}

test('stdio: a subprocess answers a client', async () => {
  const client = new Client({ name: 'test', version: '0.0.0' });
  await client.connect(new StdioClientTransport({ command: process.execPath, args: [ENTRY, '--transport', 'stdio'] }));
  try {
    assert.deepEqual(await addTwoAndThree(client), { result: 5 });
  } finally {
    await client.close();
  }
});

test('stdio: stdout carries only JSON-RPC', async () => {
  // Anything else on stdout (a console.log, a stray print) would corrupt the stream that clients read.
  const initialize = {
    jsonrpc: '2.0',
    id: 1,
    method: 'initialize',
    params: { protocolVersion: '2025-11-25', capabilities: {}, clientInfo: { name: 'test', version: '0' } },
  };
  const child = spawn(process.execPath, [ENTRY], { stdio: ['pipe', 'pipe', 'ignore'] });
  let stdout = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
    stdout += chunk;
    if (stdout.includes('\n')) child.stdin.end(); // end of input: the server exits
  });
  child.stdin.write(`${JSON.stringify(initialize)}\n`);
  const [code] = await once(child, 'exit');
  const lines = stdout.trimEnd().split('\n');
  assert.equal(lines.length, 1, `expected one reply, got ${JSON.stringify(stdout)}`);
  const reply = JSON.parse(lines[0] ?? '') as { id: number; result: { serverInfo: { name: string } } };
  assert.equal(reply.id, 1);
  assert.equal(reply.result.serverInfo.name, NAME);
  assert.equal(code, 0);
});

async function freePort(): Promise<number> {
  const probe = createServer().listen(0, '127.0.0.1');
  await once(probe, 'listening');
  const { port } = probe.address() as AddressInfo;
  probe.close();
  return port;
}

describe('http', () => {
  let server: ChildProcess;
  let base: string;

  before(async () => {
    const port = await freePort();
    base = `http://127.0.0.1:${port}`;
    server = spawn(process.execPath, [ENTRY, '--transport', 'http', '--host', '127.0.0.1', '--port', String(port)], {
      stdio: 'inherit',
    });
    const deadline = Date.now() + 60_000;
    for (;;) {
      assert.equal(server.exitCode, null, 'the server exited before it answered /health');
      try {
        await fetch(`${base}/health`);
        return;
      } catch {
        assert.ok(Date.now() < deadline, 'the server did not answer /health within 60 s');
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    }
  });

  after(async () => {
    server.kill('SIGTERM');
    if (server.exitCode === null) await once(server, 'exit');
  });

  test('GET /health reports status, name, version and uptime', async () => {
    const response = await fetch(`${base}/health`);
    assert.equal(response.status, 200);
    assert.match(response.headers.get('content-type') ?? '', /^application\/json/);
    const body = (await response.json()) as Record<string, unknown>;
    assert.deepEqual([body.status, body.name, body.version], ['ok', NAME, VERSION]);
    assert.ok(typeof body.uptime_seconds === 'number' && body.uptime_seconds >= 0);
  });

  test('serves MCP at /mcp', async () => {
    const client = new Client({ name: 'test', version: '0.0.0' });
    await client.connect(new StreamableHTTPClientTransport(new URL(`${base}/mcp`)));
    try {
      assert.deepEqual(await addTwoAndThree(client), { result: 5 });
    } finally {
      await client.close();
    }
  });

  test('refuses a request from a foreign origin', async () => {
    const response = await fetch(`${base}/mcp`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: 'http://evil.example' },
      body: '{}',
    });
    assert.equal(response.status, 403);
  });
});
