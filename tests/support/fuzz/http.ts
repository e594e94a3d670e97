/**
 * Real HTTP for the route fuzzers: an app served by @hono/node-server on 127.0.0.1 (port chosen by the
 * OS) and a raw HTTP/1.1 client over a TCP socket. The client writes the request bytes itself, so the
 * fuzzers can send what `fetch` refuses to: any Host, CRLF inside header values, a Content-Length that
 * lies, bodies that are not JSON. Every request carries `Connection: close` (one socket per request).
 * Server-sent event streams are cut once their headers arrived.
 */
import net from 'node:net';
import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';

/** A served app. */
export interface Served {
  port: number;
  close(): Promise<void>;
}

/** Serves `fetch` (an app's `fetch`) on 127.0.0.1:0. */
export async function serveApp(fetch: (req: Request) => Response | Promise<Response>): Promise<Served> {
  return new Promise((resolvePromise) => {
    const server = serve({ fetch, hostname: '127.0.0.1', port: 0 }, (info: AddressInfo) =>
      resolvePromise({
        port: info.port,
        close: () =>
          new Promise<void>((done) => {
            (server as unknown as { closeAllConnections?: () => void }).closeAllConnections?.();
            server.close(() => done());
          }),
      }),
    );
  });
}

/** A request as the fuzzers write it. */
export interface RawRequest {
  method: string;
  /** Path and query, already encoded as the request line should carry them. */
  target: string;
  /** Header lines, written verbatim (a value may hold CRLF on purpose). */
  headers: [string, string][];
  body?: Buffer | string;
  /** Content-Length to announce instead of the body's real length (broken framing). */
  contentLength?: number;
}

/** What came back. `status` is 0 when the server closed the socket without an answer. */
export interface RawResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
}

function decodeChunked(buf: Buffer): Buffer {
  const parts: Buffer[] = [];
  let i = 0;
  while (i < buf.length) {
    const eol = buf.indexOf('\r\n', i);
    if (eol < 0) break;
    const size = parseInt(buf.subarray(i, eol).toString('latin1'), 16);
    if (!Number.isFinite(size) || size === 0) break;
    parts.push(buf.subarray(eol + 2, eol + 2 + size));
    i = eol + 2 + size + 2;
  }
  return Buffer.concat(parts);
}

/**
 * Sends `req` to 127.0.0.1:`port` and reads the answer until the server closes the socket (or, for an
 * event stream, until its headers arrived). Rejects only on a socket error before any answer.
 * @param timeoutMs how long to wait for the answer before giving up with status 0
 */
export function rawRequest(port: number, req: RawRequest, timeoutMs = 20_000): Promise<RawResponse> {
  return new Promise((resolvePromise) => {
    const socket = net.connect(port, '127.0.0.1');
    const chunks: Buffer[] = [];
    let settled = false;
    const finish = () => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      socket.destroy();
      const all = Buffer.concat(chunks);
      const end = all.indexOf('\r\n\r\n');
      if (end < 0) return resolvePromise({ status: 0, headers: {}, body: all.toString('utf8') });
      const [statusLine, ...lines] = all.subarray(0, end).toString('latin1').split('\r\n');
      const headers: Record<string, string> = {};
      for (const line of lines) {
        const i = line.indexOf(':');
        if (i > 0) headers[line.slice(0, i).trim().toLowerCase()] = line.slice(i + 1).trim();
      }
      let body: Buffer = all.subarray(end + 4);
      if (headers['transfer-encoding']?.includes('chunked')) body = decodeChunked(body);
      resolvePromise({
        status: Number(statusLine?.split(' ')[1] ?? 0) || 0,
        headers,
        body: body.toString('utf8'),
      });
    };
    const timer = setTimeout(finish, timeoutMs);
    socket.on('data', (d: Buffer) => {
      chunks.push(d);
      const head = Buffer.concat(chunks);
      const end = head.indexOf('\r\n\r\n');
      if (end >= 0 && /content-type:\s*text\/event-stream/i.test(head.subarray(0, end).toString('latin1')))
        finish();
    });
    socket.on('end', finish);
    socket.on('close', finish);
    socket.on('error', finish);
    const body = req.body === undefined ? Buffer.alloc(0) : Buffer.from(req.body);
    const lines = [`${req.method} ${req.target} HTTP/1.1`];
    for (const [k, v] of req.headers) lines.push(`${k}: ${v}`);
    lines.push('connection: close');
    if (req.body !== undefined || req.contentLength !== undefined)
      lines.push(`content-length: ${req.contentLength ?? body.length}`);
    socket.write(Buffer.concat([Buffer.from(`${lines.join('\r\n')}\r\n\r\n`, 'latin1'), body]));
    // A lying Content-Length longer than the body: close our side so the server sees the end.
    if (req.contentLength !== undefined && req.contentLength > body.length) socket.end();
  });
}
