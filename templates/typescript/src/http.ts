/**
 * HTTP mode: streamable HTTP at /mcp and GET /health, on node:http.
 *
 * `createMcpHandler` serves each request from a fresh server out of `createServer`, for clients of
 * both protocol eras (2025 `initialize` and 2026-07-28). On a loopback host, requests whose Host or
 * Origin header is not local are refused (DNS-rebinding protection).
 */
import { createServer as createHttpServer, type Server } from 'node:http';

import { localhostHostValidation, localhostOriginValidation, toNodeHandler } from '@modelcontextprotocol/node';
import { createMcpHandler } from '@modelcontextprotocol/server';

import { createServer, NAME, VERSION } from './server.js';

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '::1']);

export async function startHttpServer(options: { host: string; port: number }): Promise<Server> {
  const handler = createMcpHandler(createServer, { onerror: (error) => console.error(error) });
  const serveMcp = toNodeHandler(handler);
  const checkLocal = LOOPBACK.has(options.host);
  const validHost = localhostHostValidation();
  const validOrigin = localhostOriginValidation();

  const http = createHttpServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://localhost').pathname;
    if (path === '/health' && req.method === 'GET') {
      const uptime = Math.round(process.uptime() * 1000) / 1000;
      const health = { status: 'ok', name: NAME, version: VERSION, uptime_seconds: uptime };
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(health));
    } else if (path === '/mcp') {
      // The validators answer a refused request (403) themselves.
      if (checkLocal && (!validHost(req, res) || !validOrigin(req, res))) return;
      serveMcp(req, res).catch((error: unknown) => {
        console.error(error);
        if (!res.headersSent) res.writeHead(500).end();
      });
    } else {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('Not found: MCP is at /mcp, health at /health\n');
    }
  });
  http.on('close', () => void handler.close());

  await new Promise<void>((resolve, reject) => {
    http.once('error', reject);
    http.listen(options.port, options.host, resolve);
  });
  return http;
}
