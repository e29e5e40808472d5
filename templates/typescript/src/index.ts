#!/usr/bin/env node
/**
 * Command line: `{{ project_name }} [--transport stdio|http] [--host HOST] [--port PORT]`.
 *
 * stdio (the default) is what desktop clients launch: stdout carries JSON-RPC only, so every log
 * line goes to stderr (console.error). HTTP serves streamable HTTP at /mcp and GET /health.
 */
import type { AddressInfo } from 'node:net';
import { parseArgs } from 'node:util';

import { serveStdio } from '@modelcontextprotocol/server/stdio';

import { startHttpServer } from './http.js';
import { createServer, DESCRIPTION, NAME, VERSION } from './server.js';

const USAGE = `usage: ${NAME} [--transport stdio|http] [--host HOST] [--port PORT]

${DESCRIPTION}

  --transport  stdio or http (env MCP_TRANSPORT, default {{ transport }})
  --host       address to bind in HTTP mode (env HOST, default 127.0.0.1)
  --port       port to listen on in HTTP mode (env PORT, default {{ port }})
  --version    print the version and exit
  -h, --help   print this help and exit`;

function fail(message: string): never {
  console.error(`${NAME}: ${message}\n\n${USAGE}`);
  process.exit(2);
}

function parse() {
  try {
    return parseArgs({
      options: {
        transport: { type: 'string' },
        host: { type: 'string' },
        port: { type: 'string' },
        version: { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
    }).values;
  } catch (error) {
    return fail((error as Error).message);
  }
}

function closeOnSignal(close: () => Promise<unknown>): void {
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      setTimeout(() => process.exit(0), 5000).unref(); // a stream still open does not hold the exit
      void close().finally(() => process.exit(0));
    });
  }
}

const args = parse();
if (args.help) {
  console.log(USAGE);
  process.exit(0);
}
if (args.version) {
  console.log(`${NAME} ${VERSION}`);
  process.exit(0);
}

const transport = args.transport ?? process.env.MCP_TRANSPORT ?? '{{ transport }}';
const host = args.host ?? process.env.HOST ?? '127.0.0.1';
const portText = args.port ?? process.env.PORT ?? '{{ port }}';
const port = Number(portText);
if (!/^\d+$/.test(portText) || port > 65535) {
  fail(`port must be a number from 0 to 65535, not ${JSON.stringify(portText)} (check --port or PORT)`);
}

if (transport === 'stdio') {
  const stdio = serveStdio(createServer, { onerror: (error) => console.error(error) });
  closeOnSignal(() => stdio.close());
} else if (transport === 'http') {
  const http = await startHttpServer({ host, port }).catch((error: Error) => {
    console.error(`${NAME}: cannot listen on ${host}:${port}: ${error.message}`);
    process.exit(1);
  });
  const bound = (http.address() as AddressInfo).port;
  console.error(`${NAME} ${VERSION}: MCP at http://${host}:${bound}/mcp, health at /health`);
  closeOnSignal(() => new Promise((resolve) => http.close(resolve)));
} else {
  fail(`transport must be stdio or http, not ${JSON.stringify(transport)} (check --transport or MCP_TRANSPORT)`);
}
