import net from 'node:net';

/**
 * One keep-alive HTTP/1.1 connection for the load generator, on a raw socket:
 * the request is written as prebuilt bytes and the response is parsed just far
 * enough to find its status and end (Content-Length or chunked). node:http's
 * client costs several times more CPU per request, which on a small machine
 * would make the generator, not the server, the bottleneck.
 */
export type ResponseCallback = (error: Error | undefined, status: number) => void;

/**
 * What kind of failure a request without an answer met: the socket error's
 * code (ECONNREFUSED, ECONNRESET, EPIPE, …), "timeout" (no answer within the
 * timeout) or "closed" (the server closed the connection before answering).
 */
export function failureKind(error: Error): string {
  return (error as NodeJS.ErrnoException).code ?? error.message;
}

const CRLFCRLF = Buffer.from('\r\n\r\n');

export class HttpConnection {
  private socket: net.Socket | undefined;
  private buffer: Buffer = Buffer.alloc(0);
  private callback: ResponseCallback | undefined;
  private pendingRequest: Buffer | undefined;
  private state: { status: number; remaining: number; chunked: boolean; closeAfter: boolean } | undefined;
  busy = false;
  /** Bytes written and read on this connection, headers included (as wrk's Transfer/sec counts). */
  bytesOut = 0;
  bytesIn = 0;

  constructor(
    private readonly host: string,
    private readonly port: number,
    private readonly timeoutMs = 30_000,
  ) {}

  /** Sends one request; `done` is called once with the status or an error. */
  send(request: Buffer, done: ResponseCallback): void {
    this.busy = true;
    this.callback = done;
    if (!this.socket) this.connect(request);
    else this.write(this.socket, request);
  }

  close(): void {
    this.socket?.destroy();
    this.socket = undefined;
  }

  private connect(first: Buffer): void {
    this.pendingRequest = first;
    const socket = net.connect({ host: this.host, port: this.port, noDelay: true });
    this.socket = socket;
    this.buffer = Buffer.alloc(0);
    this.state = undefined;
    socket.setTimeout(this.timeoutMs);
    socket.on('connect', () => {
      const request = this.pendingRequest;
      this.pendingRequest = undefined;
      if (request) this.write(socket, request);
    });
    // Events of a socket this connection has already replaced are ignored.
    const current = () => this.socket === socket;
    socket.on('data', (chunk: Buffer) => current() && this.onData(chunk));
    socket.on('timeout', () => current() && this.fail(new Error('timeout')));
    socket.on('error', (error) => current() && this.fail(error));
    socket.on('close', () => current() && this.fail(new Error('closed')));
  }

  private write(socket: net.Socket, request: Buffer): void {
    this.bytesOut += request.length;
    socket.write(request);
  }

  private fail(error: Error): void {
    this.socket?.destroy();
    this.socket = undefined;
    this.finish(error, 0);
  }

  private finish(error: Error | undefined, status: number): void {
    const callback = this.callback;
    this.callback = undefined;
    this.busy = false;
    callback?.(error, status);
  }

  private onData(chunk: Buffer): void {
    this.bytesIn += chunk.length;
    this.buffer = this.buffer.length ? Buffer.concat([this.buffer, chunk]) : chunk;
    for (;;) {
      if (!this.state) {
        const end = this.buffer.indexOf(CRLFCRLF);
        if (end < 0) return;
        const head = this.buffer.toString('latin1', 0, end);
        this.buffer = this.buffer.subarray(end + 4);
        const status = Number(head.slice(9, 12));
        const length = /\r\ncontent-length:\s*(\d+)/i.exec(head);
        this.state = {
          status,
          remaining: length ? Number(length[1]) : 0,
          chunked: !length && /\r\ntransfer-encoding:\s*chunked/i.test(head),
          closeAfter: /\r\nconnection:\s*close/i.test(head),
        };
      }
      const state = this.state;
      if (state.chunked) {
        // Skip chunks until the terminating zero-length chunk.
        const terminator = this.buffer.indexOf('\r\n0\r\n\r\n');
        const atStart = this.buffer.subarray(0, 5).toString('latin1') === '0\r\n\r\n';
        if (!atStart && terminator < 0) return;
        this.buffer = this.buffer.subarray(atStart ? 5 : terminator + 7);
      } else {
        if (this.buffer.length < state.remaining) return;
        this.buffer = this.buffer.subarray(state.remaining);
      }
      this.state = undefined;
      if (state.closeAfter) {
        const socket = this.socket;
        this.socket = undefined;
        socket?.destroy();
      }
      this.finish(undefined, state.status);
      if (!this.buffer.length) return;
    }
  }
}
