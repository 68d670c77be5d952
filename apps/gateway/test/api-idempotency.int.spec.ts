// Idempotency-Key on the gateway's POSTs: a retry with the key replays the first answer and runs nothing
// (one lote, one tarea, one audit entry), another request with the key is 422, a key whose request still
// runs is 409, keys are per token and expire, a malformed key is 400, and a 5xx is not kept.
import { randomUUID } from 'node:crypto';
import { waitFor } from '@lucy/testing';
import { IdempotencyPurger } from '../src/idempotency/idempotency.purger.js';
import { startGateway, tokenDe, type TestGateway } from './support/gateway.js';

const clave = () => `"${randomUUID()}"`;
const formulario = (csv: string) => {
  const f = new FormData();
  f.append('mapeo', JSON.stringify({ dni: 'Documento' }));
  f.append('archivo', new Blob([csv], { type: 'text/csv' }), 'ingresantes.csv');
  return f;
};

describe('gateway API: Idempotency-Key', () => {
  let gw: TestGateway;
  let s: string;
  const count = async (tabla: string, where = 'true') =>
    Number((await gw.db.query(`SELECT count(*) AS n FROM ${s}.${tabla} WHERE ${where}`)).rows[0].n);

  beforeAll(async () => {
    gw = await startGateway('gwidem', { IDEMPOTENCY_LEASE_MS: '3000' });
    s = `"${gw.config.DB_SCHEMA}"`;
  });
  afterAll(async () => {
    await gw?.close();
  });

  it('replays the first answer to a retry with the same key and body: one lote, one tarea, one audit entry', async () => {
    const [lotes, tareas, auditoria] = [await count('lote'), await count('tarea'), await count('auditoria')];
    const key = clave();
    const primera = await gw.api('/sync/sial', {
      body: { fuentes: ['ingresantes'] },
      headers: { 'idempotency-key': key },
    });
    expect(primera.status).toBe(202);
    expect(primera.headers.get('idempotent-replayed')).toBeNull();
    // The same body written otherwise (spaces, another key order) is the same request.
    const otra = await gw.api('/sync/sial', {
      body: ` { "fuentes" : [ "ingresantes" ] } `,
      headers: { 'idempotency-key': key, 'content-type': 'application/json' },
    });
    expect(otra.status).toBe(202);
    expect(otra.body).toEqual(primera.body);
    expect(otra.type).toBe(primera.type);
    expect(otra.headers.get('idempotent-replayed')).toBe('true');
    expect([await count('lote'), await count('tarea'), await count('auditoria')]).toEqual([
      lotes + 1,
      tareas + 1,
      auditoria + 1,
    ]);
    expect(
      (await gw.api('/lotes')).body.items.filter((l: { id: string }) => l.id === primera.body.loteId),
    ).toHaveLength(1);
  });

  it('replays an upload sent again with a new multipart boundary; another file with the key is 422', async () => {
    const lotes = await count('lote');
    const key = clave();
    const csv = 'Documento;Nombre\n40123456;Ana\n';
    const primera = await gw.api('/lotes', { body: formulario(csv), headers: { 'idempotency-key': key } });
    expect(primera.status).toBe(202);
    const again = await gw.api('/lotes', { body: formulario(csv), headers: { 'idempotency-key': key } });
    expect(again).toMatchObject({ status: 202, body: primera.body });
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    const otroArchivo = await gw.api('/lotes', {
      body: formulario('Documento;Nombre\n40123457;Ana\n'),
      headers: { 'idempotency-key': key },
    });
    expect(otroArchivo.status).toBe(422);
    expect(otroArchivo.type).toContain('application/problem+json');
    expect(await count('lote')).toBe(lotes + 1);
  });

  it('answers 422 for the key with another body or another route, and runs neither', async () => {
    const key = clave();
    expect(
      (await gw.api('/sync/sial', { body: { fuentes: ['ingresantes'] }, headers: { 'idempotency-key': key } })).status,
    ).toBe(202);
    const lotes = await count('lote');
    for (const [ruta, body] of [
      ['/sync/sial', { fuentes: ['aspirantes'] }],
      ['/sync/sial?x=1', { fuentes: ['ingresantes'] }],
      ['/programacion/ejecutar', undefined],
    ] as const) {
      const r = await gw.api(ruta, { method: 'POST', body, headers: { 'idempotency-key': key } });
      expect(r.status).toBe(422);
      expect(r.type).toContain('application/problem+json');
      expect(r.body.detail).toMatch(/otra solicitud/);
    }
    expect(await count('lote')).toBe(lotes);
  });

  it('keeps keys per token: the same key from another token is a request of its own', async () => {
    const operador = await tokenDe(gw, `op-${randomUUID().slice(0, 8)}`, 'operator');
    const key = clave();
    const admin = await gw.api('/sync/sial', { body: {}, headers: { 'idempotency-key': key } });
    const op = await gw.api('/sync/sial', { token: operador, body: {}, headers: { 'idempotency-key': key } });
    expect([admin.status, op.status]).toEqual([202, 202]);
    expect(op.body.loteId).not.toBe(admin.body.loteId);
    expect(op.headers.get('idempotent-replayed')).toBeNull();
    // ... and each token's retry gets its own first answer; another token's key with another body is no conflict.
    expect(
      (await gw.api('/sync/sial', { token: operador, body: {}, headers: { 'idempotency-key': key } })).body.loteId,
    ).toBe(op.body.loteId);
    expect((await gw.api('/sync/sial', { body: {}, headers: { 'idempotency-key': key } })).body.loteId).toBe(
      admin.body.loteId,
    );
  });

  it('answers 409 while a request with the key runs, replays its answer once it ends, and stores no body in clear', async () => {
    // A configuration change waits for the lock that numbers versions: hold it, and the import hangs.
    const lock = `${s}.configuracion`;
    const versiones = await count('configuracion');
    const key = clave();
    const body = {
      valores: { ...(await gw.api('/config/export')).body.valores, loteTamano: 7 },
      motivo: 'idempotencia',
    };
    await gw.db.query('BEGIN');
    await gw.db.query('SELECT pg_advisory_xact_lock(hashtext($1))', [lock]);
    const primera = gw.api('/config/import', { body, headers: { 'idempotency-key': key } });
    try {
      await waitFor(
        async () =>
          (
            await gw.db.query(`SELECT 1 FROM ${s}.idempotency_key WHERE key = $1 AND completed_at IS NULL`, [
              JSON.parse(key),
            ])
          ).rowCount,
        'the import to claim its key',
      );
      const mientras = await gw.api('/config/import', { body, headers: { 'idempotency-key': key } });
      expect(mientras.status).toBe(409);
      expect(mientras.type).toContain('application/problem+json');
      expect(mientras.headers.get('retry-after')).toBe('1');
      // Longer than the lease (3 s here): a claim its request keeps renewing is not taken over.
      await new Promise((r) => setTimeout(r, 3500));
      expect((await gw.api('/config/import', { body, headers: { 'idempotency-key': key } })).status).toBe(409);
    } finally {
      await gw.db.query('COMMIT');
    }
    const hecha = await primera;
    expect(hecha.status).toBe(201);
    const replay = await gw.api('/config/import', { body, headers: { 'idempotency-key': key } });
    expect(replay).toMatchObject({ status: 201, body: hecha.body });
    expect(await count('configuracion')).toBe(versiones + 1);
    const [row] = (
      await gw.db.query(`SELECT body::text AS body FROM ${s}.idempotency_key WHERE key = $1`, [JSON.parse(key)])
    ).rows;
    expect(row.body).not.toContain('idempotencia');
    expect(row.body).toContain('A256GCM');
  });

  it('still stores the answer when the client left before it (a timeout), so its retry replays it', async () => {
    const lock = `${s}.configuracion`;
    const versiones = await count('configuracion');
    const key = clave();
    const body = {
      valores: { ...(await gw.api('/config/export')).body.valores, loteTamano: 8 },
      motivo: 'cliente que se fue',
    };
    const ctrl = new AbortController();
    await gw.db.query('BEGIN');
    await gw.db.query('SELECT pg_advisory_xact_lock(hashtext($1))', [lock]);
    try {
      const abandonada = fetch(`${gw.url}/api/v1/config/import`, {
        method: 'POST',
        signal: ctrl.signal,
        body: JSON.stringify(body),
        headers: {
          authorization: `Bearer ${gw.adminToken}`,
          'content-type': 'application/json',
          'idempotency-key': key,
        },
      }).then(
        () => 'answered',
        (err: Error) => err.name,
      );
      await waitFor(
        async () =>
          (await gw.db.query(`SELECT 1 FROM ${s}.idempotency_key WHERE key = $1`, [JSON.parse(key)])).rowCount,
        'the import to claim its key',
      );
      ctrl.abort();
      expect(await abandonada).toBe('AbortError');
    } finally {
      await gw.db.query('COMMIT');
    }
    await waitFor(
      async () =>
        (
          await gw.db.query(`SELECT 1 FROM ${s}.idempotency_key WHERE key = $1 AND completed_at IS NOT NULL`, [
            JSON.parse(key),
          ])
        ).rowCount,
      'the answer to be stored',
    );
    const retry = await gw.api('/config/import', { body, headers: { 'idempotency-key': key } });
    expect(retry.status).toBe(201);
    expect(retry.headers.get('idempotent-replayed')).toBe('true');
    expect(retry.body).toMatchObject({ cambios: ['loteTamano'], motivo: 'cliente que se fue' });
    expect(await count('configuracion')).toBe(versiones + 1);
  });

  it('exactly one of several identical requests racing with a key runs', async () => {
    const lotes = await count('lote');
    const key = clave();
    const rs = await Promise.all(
      Array.from({ length: 6 }, () =>
        gw.api('/sync/sial', { body: { fuentes: ['ingresantes'] }, headers: { 'idempotency-key': key } }),
      ),
    );
    const ok = rs.filter((r) => r.status === 202);
    expect(ok.length).toBeGreaterThanOrEqual(1);
    expect(new Set(ok.map((r) => r.body.loteId)).size).toBe(1);
    expect(rs.every((r) => r.status === 202 || r.status === 409)).toBe(true);
    expect(await count('lote')).toBe(lotes + 1);
  });

  it('replays a client error as it was (a 400 of validation), without running the route again', async () => {
    const key = clave();
    const body = { accion: 'volar', alumnoIds: [randomUUID()] };
    const mal = await gw.api('/acciones', { body, headers: { 'idempotency-key': key } });
    expect(mal.status).toBe(400);
    const again = await gw.api('/acciones', { body, headers: { 'idempotency-key': key } });
    expect(again).toMatchObject({ status: 400, type: mal.type, body: mal.body });
    expect(again.headers.get('idempotent-replayed')).toBe('true');
  });

  it('does not keep a 5xx: the key is released and the retry runs', async () => {
    const key = clave();
    const lotes = await count('lote');
    await gw.db.query(`ALTER TABLE ${s}.lote RENAME TO lote_fuera`);
    let caida;
    try {
      caida = await gw.api('/sync/sial', { body: {}, headers: { 'idempotency-key': key } });
    } finally {
      await gw.db.query(`ALTER TABLE ${s}.lote_fuera RENAME TO lote`);
    }
    expect(caida.status).toBe(500);
    expect((await gw.db.query(`SELECT 1 FROM ${s}.idempotency_key WHERE key = $1`, [JSON.parse(key)])).rowCount).toBe(
      0,
    );
    const retry = await gw.api('/sync/sial', { body: {}, headers: { 'idempotency-key': key } });
    expect(retry.status).toBe(202);
    expect(retry.headers.get('idempotent-replayed')).toBeNull();
    expect(await count('lote')).toBe(lotes + 1);
  });

  it('forgets a key once it expires (the retry runs), and the purge deletes expired keys', async () => {
    const key = clave();
    const primera = await gw.api('/sync/sial', { body: {}, headers: { 'idempotency-key': key } });
    const [{ ttl }] = (
      await gw.db.query(
        `SELECT extract(epoch FROM expires_at - created_at) AS ttl FROM ${s}.idempotency_key WHERE key = $1`,
        [JSON.parse(key)],
      )
    ).rows;
    expect(Number(ttl)).toBeCloseTo(24 * 3600, -1);
    await gw.db.query(`UPDATE ${s}.idempotency_key SET expires_at = now() - interval '1 second' WHERE key = $1`, [
      JSON.parse(key),
    ]);
    const despues = await gw.api('/sync/sial', { body: {}, headers: { 'idempotency-key': key } });
    expect(despues.status).toBe(202);
    expect(despues.body.loteId).not.toBe(primera.body.loteId);

    const vieja = clave();
    await gw.api('/sync/sial', { body: {}, headers: { 'idempotency-key': vieja } });
    await gw.db.query(`UPDATE ${s}.idempotency_key SET expires_at = now() - interval '1 second' WHERE key = $1`, [
      JSON.parse(vieja),
    ]);
    expect(await gw.app.get(IdempotencyPurger).purge()).toBeGreaterThanOrEqual(1);
    expect(await count('idempotency_key', `key = '${JSON.parse(vieja)}'`)).toBe(0);
    expect(await count('idempotency_key', `key = '${JSON.parse(key)}'`)).toBe(1);
  });

  it('takes over a claim whose request stopped renewing it (its replica died) instead of answering 409 for ever', async () => {
    const key = clave();
    const lotes = await count('lote');
    await gw.api('/sync/sial', { body: {}, headers: { 'idempotency-key': key } });
    // As a replica that died mid-request leaves it: no answer, last renewed long ago.
    await gw.db.query(
      `UPDATE ${s}.idempotency_key SET completed_at = NULL, status = NULL, body = NULL, claimed_at = now() - interval '1 minute' WHERE key = $1`,
      [JSON.parse(key)],
    );
    const retry = await gw.api('/sync/sial', { body: {}, headers: { 'idempotency-key': key } });
    expect(retry.status).toBe(202);
    expect(retry.headers.get('idempotent-replayed')).toBeNull();
    expect(await count('lote')).toBe(lotes + 2);
  });

  it.each([
    ['empty', '""'],
    ['too long', `"${'k'.repeat(256)}"`],
    ['with a tab', '"a\tb"'],
    ['with a non-ASCII character', '"clave-\u00f1"'],
    ['two keys', '"a", "b"'],
    ['an unterminated sf-string', '"abc'],
  ])('answers 400 problem+json for a key %s, and runs nothing', async (_what, value) => {
    const lotes = await count('lote');
    const r = await gw.api('/sync/sial', { body: {}, headers: { 'idempotency-key': value } });
    expect(r.status).toBe(400);
    expect(r.type).toContain('application/problem+json');
    expect(r.body.detail).toMatch(/Idempotency-Key/);
    expect(await count('lote')).toBe(lotes);
  });

  it('takes a bare token as the key too, and a POST without the header runs every time', async () => {
    const key = randomUUID();
    const a = await gw.api('/sync/sial', { body: {}, headers: { 'idempotency-key': key } });
    expect((await gw.api('/sync/sial', { body: {}, headers: { 'idempotency-key': `"${key}"` } })).body.loteId).toBe(
      a.body.loteId,
    );
    const lotes = await count('lote');
    await gw.api('/sync/sial', { body: {} });
    await gw.api('/sync/sial', { body: {} });
    expect(await count('lote')).toBe(lotes + 2);
  });

  it('documents the header and its 409 and 422 on every POST of the OpenAPI document', async () => {
    const doc = (await (await fetch(`${gw.url}/docs-json`)).json()) as {
      paths: Record<
        string,
        Record<string, { parameters?: { name: string; in: string }[]; responses: Record<string, unknown> }>
      >;
    };
    const posts = Object.entries(doc.paths).filter(([, item]) => item.post);
    expect(posts.length).toBeGreaterThan(10);
    for (const [path, item] of posts) {
      expect([path, item.post!.parameters?.some((p) => p.name === 'Idempotency-Key' && p.in === 'header')]).toEqual([
        path,
        true,
      ]);
      expect([path, Object.keys(item.post!.responses)]).toEqual([path, expect.arrayContaining(['409', '422'])]);
    }
    expect(
      Object.values(doc.paths).some((item) => item.get?.parameters?.some((p) => p.name === 'Idempotency-Key')),
    ).toBe(false);
  });
});
