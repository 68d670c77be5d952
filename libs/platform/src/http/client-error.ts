// What Node's HTTP parser refuses before any route runs — a request line or header block over its
// limit, a malformed request — answered as application/problem+json like every other error, instead
// of Node's bare 400/431 without a body.
//
// The header limit is raised by MAX_URL_LENGTH over Node's default (16 KiB), so a URL up to that length
// still leaves the default room for headers and reaches urlGuard, which answers 414 with the length.
// A request line longer still overflows the parser: told apart from a large header block by where the
// first line ends in the packet that overflowed.
import { HttpStatus } from '@nestjs/common';
import { STATUS_CODES, type Server } from 'node:http';
import type { Socket } from 'node:net';
import { MAX_URL_LENGTH } from './url-guard.js';

const NODE_DEFAULT_HEADER_SIZE = 16 * 1024;
export const MAX_HEADER_SIZE = NODE_DEFAULT_HEADER_SIZE + MAX_URL_LENGTH;

const METHOD = /^[A-Z]{3,10} /;

export function answerClientErrors(server: Server): void {
  // Read per connection by Node's parser (http.Server's maxHeaderSize option, settable after creation).
  (server as Server & { maxHeaderSize: number }).maxHeaderSize = MAX_HEADER_SIZE;
  const answered = new WeakSet<Socket>();
  server.on('clientError', (err: NodeJS.ErrnoException & { rawPacket?: Buffer; reason?: string }, socket: Socket) => {
    if (
      answered.has(socket) ||
      err.code === 'ECONNRESET' ||
      !socket.writable ||
      (socket as { _httpMessage?: { headersSent?: boolean } })._httpMessage?.headersSent
    ) {
      socket.destroy();
      return;
    }
    answered.add(socket);
    const [status, detail] = classify(err);
    const body = JSON.stringify({
      type: 'about:blank',
      title: title(status),
      status,
      detail,
      ...(status === 400 ? { problemas: [{ campo: 'petición', mensaje: detail }] } : {}),
    });
    socket.end(
      `HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\nContent-Type: application/problem+json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
    );
  });
}

function classify(err: { code?: string; rawPacket?: Buffer; reason?: string }): [number, string] {
  if (err.code === 'HPE_HEADER_OVERFLOW') {
    const packet = err.rawPacket?.subarray(0, MAX_HEADER_SIZE + 1).toString('latin1') ?? '';
    const lineEnd = packet.indexOf('\r\n');
    if (METHOD.test(packet) && (lineEnd < 0 || lineEnd > MAX_URL_LENGTH))
      return [HttpStatus.URI_TOO_LONG, `la URL excede ${MAX_URL_LENGTH} caracteres`];
    return [431, `las cabeceras exceden ${MAX_HEADER_SIZE / 1024} KiB`];
  }
  if (err.code === 'HPE_REQUEST_TIMEOUT' || err.code === 'ERR_HTTP_REQUEST_TIMEOUT')
    return [HttpStatus.REQUEST_TIMEOUT, 'la petición no llegó completa a tiempo'];
  return [HttpStatus.BAD_REQUEST, `petición HTTP mal formada (${err.reason ?? err.code ?? 'error del parser'})`];
}

/** The title the gateway's problems carry (Nest's HttpStatus names; it has none for 431). */
const title = (status: number) => HttpStatus[status] ?? STATUS_CODES[status]!.toUpperCase().replace(/ /g, '_');
