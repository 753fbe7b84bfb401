import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A local HTTP receiver: answers each request with the next status in `script` (200 when it runs out), or hangs on 0. */
export function startReceiver(): Promise<{ url: string; bodies: unknown[]; script: number[]; server: Server }> {
  const state = { bodies: [] as unknown[], script: [] as number[] };
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      const status = state.script.length ? state.script.shift()! : 200;
      if (status === 0) return; // hang: the sender's timeout must cut it
      if (status < 300) state.bodies.push(JSON.parse(body)); // only what was accepted
      res.writeHead(status).end();
    });
  });
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () => {
      resolve({
        url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks/T000/B000/secret`,
        server,
        ...state,
        get bodies() {
          return state.bodies;
        },
        get script() {
          return state.script;
        },
      });
    }),
  );
}
