/**
 * What {{ display_name }} serves: tools, resources and a prompt.
 *
 * `createServer` builds one server; the transports (stdio in index.ts, HTTP in http.ts) call it for
 * each connection or request. Register a tool with a zod schema: the schema is validated and
 * advertised to the model, and the description is what the model reads.
 */
import { readFileSync } from 'node:fs';

import { McpServer, ResourceTemplate } from '@modelcontextprotocol/server';
import * as z from 'zod/v4';

// package.json is the one place for the name, version and description.
const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as {
  name: string;
  version: string;
  description: string;
};
export const NAME = pkg.name;
export const VERSION = pkg.version;
export const DESCRIPTION = pkg.description;
export const TITLE = {{ display_name | json_encode }};

export function createServer(): McpServer {
  const server = new McpServer({ name: NAME, title: TITLE, version: VERSION, description: DESCRIPTION });

  server.registerTool(
    'add',
    {
      description: 'Add two integers and return their sum.',
      inputSchema: z.object({
        a: z.int().describe('The first addend.'),
        b: z.int().describe('The second addend.'),
      }),
      outputSchema: z.object({ result: z.int() }),
    },
    async ({ a, b }) => {
      const result = a + b;
      if (!Number.isSafeInteger(result)) {
        // A thrown error reaches the model as an `isError` result carrying its message.
        throw new Error(`the sum ${result} does not fit in a JSON number; keep |a + b| <= ${Number.MAX_SAFE_INTEGER}`);
      }
      return { content: [{ type: 'text', text: String(result) }], structuredContent: { result } };
    },
  );

  server.registerTool(
    'echo',
    {
      description: 'Return the message unchanged.',
      inputSchema: z.object({ message: z.string().describe('The text to send back.') }),
    },
    async ({ message }) => ({ content: [{ type: 'text', text: message }] }),
  );

  server.registerResource(
    'info',
    'info://server',
    { description: 'Name, version and description of this server.', mimeType: 'application/json' },
    async (uri) => ({
      contents: [
        {
          uri: uri.href,
          mimeType: 'application/json',
          text: JSON.stringify({ name: NAME, version: VERSION, description: DESCRIPTION }),
        },
      ],
    }),
  );

  server.registerResource(
    'greeting',
    new ResourceTemplate('greeting://{name}', { list: undefined }),
    { description: 'A greeting for the given name.', mimeType: 'text/plain' },
    async (uri, { name }) => ({
      contents: [{ uri: uri.href, mimeType: 'text/plain', text: `Hello, ${String(name)}!` }],
    }),
  );

  server.registerPrompt(
    'summarize',
    {
      description: 'Ask the model to summarize a text.',
      argsSchema: z.object({ text: z.string().describe('The text to summarize.') }),
    },
    ({ text }) => ({
      messages: [
        {
          role: 'user',
          content: { type: 'text', text: `Please summarize the following text in a few sentences:\n\n${text}` },
        },
      ],
    }),
  );

  return server;
}
