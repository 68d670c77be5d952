// One HTTP/1.1 request written byte for byte on a socket: what fetch refuses to send (raw bytes in the
// request line, NUL or non-Latin-1 in a header, a header block larger than Node's parser takes).
import { connect } from 'node:net';

export interface RawResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
}

export function rawRequest(url: string, head: Buffer | string, body: Buffer | string = ''): Promise<RawResponse> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), hostname);
    const chunks: Buffer[] = [];
    const timer = setTimeout(() => socket.destroy(new Error('no answer within 10 s')), 10_000);
    socket.on('data', (c) => chunks.push(c));
    // The server may close before it has read everything we wrote (EPIPE/ECONNRESET): what it answered counts.
    let error: Error | undefined;
    socket.on('error', (err) => (error = err));
    socket.on('close', () => {
      clearTimeout(timer);
      if (!chunks.length) return reject(error ?? new Error('closed without an answer'));
      const all = Buffer.concat(chunks);
      const fin = all.indexOf('\r\n\r\n');
      const [linea = '', ...lineas] = all
        .subarray(0, fin < 0 ? all.length : fin)
        .toString('latin1')
        .split('\r\n');
      const headers = Object.fromEntries(
        lineas.map((l) => [l.slice(0, l.indexOf(':')).toLowerCase(), l.slice(l.indexOf(':') + 1).trim()]),
      );
      let resto: Buffer = fin < 0 ? Buffer.alloc(0) : all.subarray(fin + 4);
      if (headers['transfer-encoding'] === 'chunked') resto = dechunk(resto);
      const cuerpo = resto.toString('utf8');
      resolve({ status: Number(linea.split(' ')[1] ?? 0), headers, body: cuerpo });
    });
    socket.write(
      Buffer.concat([
        Buffer.isBuffer(head) ? head : Buffer.from(head, 'latin1'),
        Buffer.isBuffer(body) ? body : Buffer.from(body),
      ]),
    );
  });
}

function dechunk(b: Buffer): Buffer {
  const out: Buffer[] = [];
  for (let i = 0; i < b.length;) {
    const fin = b.indexOf('\r\n', i);
    const n = parseInt(b.subarray(i, fin).toString('latin1'), 16);
    if (!n) break;
    out.push(b.subarray(fin + 2, fin + 2 + n));
    i = fin + 2 + n + 2;
  }
  return Buffer.concat(out);
}
