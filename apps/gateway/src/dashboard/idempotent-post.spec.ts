import { keyHeader, postIdempotent, newKey } from './public/idempotent-post.js';
import { parseIdempotencyKey } from '../idempotency/idempotency-key.js';

const respuesta = (status: number, headers: Record<string, string> = {}) => ({
  status,
  headers: { get: (n: string) => headers[n.toLowerCase()] ?? null },
});
const sinEsperar = async () => undefined;

describe("the dashboard's POSTs", () => {
  it('draw a UUID as the key, also where crypto.randomUUID is missing (a page over plain http), as an sf-string the gateway reads', () => {
    const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
    expect(newKey()).toMatch(uuid);
    const sinRandomUUID = { getRandomValues: <T extends Uint8Array>(a: T) => globalThis.crypto.getRandomValues(a) };
    const claves = new Set(Array.from({ length: 50 }, () => newKey(sinRandomUUID)));
    expect(claves.size).toBe(50);
    for (const c of claves) expect(c).toMatch(uuid);
    expect(parseIdempotencyKey(keyHeader(newKey()))).toMatch(uuid);
  });

  it('send a submission again with the same key after a network failure and while it is in progress', async () => {
    const claves: string[] = [];
    const respuestas = [
      () => Promise.reject(new TypeError('fetch failed')),
      () => Promise.resolve(respuesta(409, { 'retry-after': '1' })),
      () => Promise.resolve(respuesta(202)),
    ];
    const res = await postIdempotent((key) => (claves.push(key), respuestas[claves.length - 1]!()), {
      sleep: sinEsperar,
    });
    expect(res.status).toBe(202);
    expect(claves).toHaveLength(3);
    expect(new Set(claves).size).toBe(1);
  });

  it('give back any other answer at once (a 409 of the API without Retry-After is a real conflict), and a new submission draws a new key', async () => {
    const claves: string[] = [];
    for (const status of [409, 422, 500]) {
      const res = await postIdempotent(async (key) => (claves.push(key), respuesta(status)), {
        sleep: sinEsperar,
      });
      expect(res.status).toBe(status);
    }
    expect(new Set(claves).size).toBe(3);
  });

  it('stop after the last wait: the last failure is the result', async () => {
    let n = 0;
    await expect(
      postIdempotent(
        async () => {
          n++;
          throw new TypeError('fetch failed');
        },
        { delays: [1, 1], sleep: sinEsperar },
      ),
    ).rejects.toThrow('fetch failed');
    expect(n).toBe(3);
    expect(
      (
        await postIdempotent(async () => respuesta(409, { 'retry-after': '1' }), {
          delays: [1],
          sleep: sinEsperar,
        })
      ).status,
    ).toBe(409);
  });
});
