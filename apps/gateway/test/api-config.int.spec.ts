// The runtime configuration through the API: validated, versioned with who changed what and which keys
// an operator has set (fijadas: by a new value, by naming a key, by importing a file; given back with
// DELETE /config/fijadas/{clave}), announced to the services (ConfiguracionCambiada, LimitesCambiados)
// and announced again (at start, on demand), exported and imported; secrets refused; which version each
// service applies (a stand-in answers /health/ready for three of them, the fourth is down).
import { randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ConfiguracionCambiada, LimitesCambiados } from '@lucy/contracts';
import { BrokerTap, waitFor } from '@lucy/testing';
import { startGateway, tokenDe, type TestGateway } from './support/gateway.js';

describe('gateway API: configuration', () => {
  let gw: TestGateway;
  let tap: BrokerTap;
  let servicios: Server;
  let entorno: Record<string, string>;
  /** What each stand-in service reports under /health/ready → details.configuracion (undefined: nothing). */
  const informes: Record<string, Record<string, unknown> | undefined> = {};
  // The tap hears every gateway on this broker: this file's announcements carry a domain of its own.
  const DOMINIO = `t${randomBytes(4).toString('hex')}.unrc.edu.ar`;
  const mias = () => tap.envelopes(ConfiguracionCambiada).filter((e) => e.payload.valores.upn.dominio === DOMINIO);
  const anuncioDe = (version: number) =>
    waitFor(() => mias().find((e) => e.payload.version === version), `ConfiguracionCambiada v${version}`);
  /** Every key of the configuration, in its order. */
  const TODAS = [
    'loteTamano',
    'ausenciasParaBaja',
    'umbralBajas',
    'aprobacionNuevos',
    'limites',
    'plantillaEmail',
    'plantillaRetorno',
    'upn',
    'licenciaSku',
    'cursos',
    'cursosAnteriores',
    'cursosOneRoster',
    'moodleAuth',
    'moodleAlEliminar',
    'zonaHoraria',
    'sincronizacion',
    'retencion',
    'alertas',
  ];

  beforeAll(async () => {
    servicios = createServer((req, res) => {
      const configuracion = informes[req.url!.split('/')[1]!];
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(
        JSON.stringify({
          status: 'ok',
          details: {
            database: { status: 'up' },
            ...(configuracion ? { configuracion: { status: 'up', ...configuracion } } : {}),
          },
        }),
      );
    });
    await new Promise<void>((r) => servicios.listen(0, '127.0.0.1', r));
    const base = `http://127.0.0.1:${(servicios.address() as AddressInfo).port}`;
    entorno = {
      SERVICES: 'ingest-service,teams-service',
      INGEST_SERVICE_URL: `${base}/ingest`,
      TEAMS_SERVICE_URL: `${base}/teams`,
      MAIL_SERVICE_URL: `${base}/mail`,
      MOODLE_SERVICE_URL: 'http://127.0.0.1:9',
    };
    gw = await startGateway('gwconfig', entorno);
    tap = await BrokerTap.open([ConfiguracionCambiada, LimitesCambiados], { url: gw.config.RABBITMQ_URL });
  });
  afterAll(async () => {
    await tap?.close();
    await gw?.close();
    await new Promise((r) => servicios?.close(r));
  });

  it('starts at version 0, the services’ defaults, with no key set and nothing to announce again', async () => {
    const r = await gw.api('/config');
    expect(r.body).toMatchObject({
      version: 0,
      cambiadoPor: 'predeterminado',
      fijadas: [],
      valores: { loteTamano: 20, moodleAuth: 'oauth2', plantillaEmail: null },
    });
    const nada = await gw.api('/config/republicar', { method: 'POST' });
    expect(nada.status).toBe(409);
    expect(nada.body.detail).toMatch(/ninguna versión/);
  });

  it('stores a change as a new version and announces it with the keys set, and the limits that changed', async () => {
    const { valores } = (await gw.api('/config')).body;
    const nuevos = {
      ...valores,
      loteTamano: 50,
      limites: { ...valores.limites, moodle: { rpm: 120 } },
      upn: { patron: '{inicial}{apellido}{dni}@{domain}', dominio: DOMINIO },
    };
    const r = await gw.api('/config', {
      method: 'PUT',
      body: { valores: nuevos, motivo: 'inscripción de febrero', versionBase: 0 },
    });
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({
      version: 1,
      sinCambios: false,
      cambiadoPor: 'admin',
      motivo: 'inscripción de febrero',
      cambios: ['loteTamano', 'limites', 'upn'],
      fijadas: ['loteTamano', 'limites', 'upn'],
    });
    const [evento] = await waitFor(() => mias().length && mias(), 'ConfiguracionCambiada v1');
    expect(evento!.payload).toEqual({
      version: 1,
      valores: nuevos,
      cambios: ['loteTamano', 'limites', 'upn'],
      fijadas: ['loteTamano', 'limites', 'upn'],
      cambiadoPor: 'admin',
    });
    await waitFor(() => tap.of(LimitesCambiados).length, 'LimitesCambiados');
    expect(tap.of(LimitesCambiados)).toEqual([{ api: 'moodle', rpm: 120 }]);
  });

  it('changes some keys with PATCH, refusing an edit of a version that is no longer current; the keys set only grow', async () => {
    const stale = await gw.api('/config', {
      method: 'PATCH',
      body: { valores: { zonaHoraria: 'America/Argentina/Buenos_Aires' }, versionBase: 0 },
    });
    expect(stale.status).toBe(409);
    expect(stale.body.detail).toMatch(/versión 0.*actual es la 1/);
    const ok = await gw.api('/config', {
      method: 'PATCH',
      body: { valores: { zonaHoraria: 'America/Argentina/Buenos_Aires' }, versionBase: 1 },
    });
    expect(ok.body).toMatchObject({
      version: 2,
      cambios: ['zonaHoraria'],
      fijadas: ['loteTamano', 'limites', 'upn', 'zonaHoraria'],
      valores: { loteTamano: 50, zonaHoraria: 'America/Argentina/Buenos_Aires' },
    });
    await waitFor(() => mias().some((e) => e.payload.version === 2), 'ConfiguracionCambiada v2');
    expect(mias().find((e) => e.payload.version === 2)!.payload).toMatchObject({
      cambios: ['zonaHoraria'],
      fijadas: ['loteTamano', 'limites', 'upn', 'zonaHoraria'],
    });
    // Setting a key back to the gateway's default keeps it set: the operator chose that value.
    const vuelta = await gw.api('/config', { method: 'PATCH', body: { valores: { loteTamano: 20 } } });
    expect(vuelta.body).toMatchObject({
      version: 3,
      cambios: ['loteTamano'],
      fijadas: ['loteTamano', 'limites', 'upn', 'zonaHoraria'],
    });
    const igual = await gw.api('/config', { method: 'PATCH', body: { valores: { loteTamano: 20 } } });
    expect(igual.body).toMatchObject({
      version: 3,
      sinCambios: true,
      fijadas: ['loteTamano', 'limites', 'upn', 'zonaHoraria'],
    });
    expect((await gw.api('/config/versiones/1')).body.fijadas).toEqual(['loteTamano', 'limites', 'upn']);
    expect((await gw.api('/config/versiones/0')).body.fijadas).toEqual([]);
  });

  it('keeps the keys set whole when changes come at once: each version holds every earlier one’s', async () => {
    const cambios = [
      { moodleAuth: 'manual' },
      { licenciaSku: '94763226-9b3c-4e75-a931-5c89701abe66' },
      { cursos: { ingresante: { '*': ['ING-X'] } } },
    ];
    const rs = await Promise.all(cambios.map((valores) => gw.api('/config', { method: 'PATCH', body: { valores } })));
    expect(rs.map((r) => r.status)).toEqual([200, 200, 200]);
    expect(rs.map((r) => r.body.version).sort()).toEqual([4, 5, 6]);
    let antes: string[] = (await gw.api('/config/versiones/3')).body.fijadas;
    for (const n of [4, 5, 6]) {
      const v = (await gw.api(`/config/versiones/${n}`)).body;
      expect(v.fijadas).toEqual(expect.arrayContaining([...antes, ...v.cambios]));
      expect(v.fijadas).toHaveLength(new Set([...antes, ...v.cambios]).size);
      expect(rs.find((r) => r.body.version === n)!.body.fijadas).toEqual(v.fijadas);
      antes = v.fijadas;
    }
    expect(antes).toEqual(['loteTamano', 'limites', 'upn', 'licenciaSku', 'cursos', 'moodleAuth', 'zonaHoraria']);
    // And every value: each PATCH merged its keys into the version it was stored on, not an older one.
    expect((await gw.api('/config')).body.valores).toMatchObject({
      moodleAuth: 'manual',
      licenciaSku: '94763226-9b3c-4e75-a931-5c89701abe66',
      cursos: { ingresante: { '*': ['ING-X'] } },
    });
    await waitFor(() => mias().some((e) => e.payload.version === 6), 'ConfiguracionCambiada v6');
    expect(mias().find((e) => e.payload.version === 6)!.payload.fijadas).toEqual(antes);
  });

  it('sets a key a PATCH names with the value it already has: a version with no cambios, announced with the keys set', async () => {
    // A schedule of its own first (still inactive: nothing runs), which a PATCH of another key must leave alone;
    // with it, the last keys never set but plantillaEmail.
    const horario = { activa: false, cron: '0 3 * * *', fuentes: ['ingresantes'], periodo: null };
    const v7 = await gw.api('/config', {
      method: 'PATCH',
      body: {
        valores: {
          sincronizacion: horario,
          cursosAnteriores: 'desenrolar',
          cursosOneRoster: { MAT101: 'ING-2027-MATE', 'cls-fis-a': 'ING-2027-FIS' },
          ausenciasParaBaja: 4,
          umbralBajas: { porcentaje: 2.5, cantidad: 40 },
          aprobacionNuevos: true,
          plantillaRetorno: null,
          moodleAlEliminar: 'suspender',
          // Named with its default value: set (fijada), though not changed.
          retencion: { dias: 90, auditoriaDias: 365, aparcadosDias: 7 },
          alertas: { destinatarios: [], umbralDiferencias: 50, plantilla: null },
        },
      },
    });
    expect(v7.body.version).toBe(7);
    expect([...v7.body.cambios].sort()).toEqual([
      'aprobacionNuevos',
      'ausenciasParaBaja',
      'cursosAnteriores',
      'cursosOneRoster',
      'sincronizacion',
      'umbralBajas',
    ]);
    // plantillaEmail was never set: the services run their own; the operator wants the included one (null), whatever their environment says.
    const r = await gw.api('/config', {
      method: 'PATCH',
      body: { valores: { plantillaEmail: null }, motivo: 'la plantilla incluida en todos lados' },
    });
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({
      version: 8,
      sinCambios: false,
      cambios: [],
      fijadas: TODAS,
      motivo: 'la plantilla incluida en todos lados',
    });
    expect(r.body.valores.sincronizacion).toEqual(horario);
    const evento = await anuncioDe(8);
    expect(evento.payload).toMatchObject({ version: 8, cambios: [], fijadas: TODAS, cambiadoPor: 'admin' });
    expect((await gw.api('/config/versiones?limit=1')).body.items).toEqual([
      expect.objectContaining({
        version: 8,
        cambios: [],
        fijadas: TODAS,
        fijadasNuevas: ['plantillaEmail'],
        soltadas: [],
      }),
    ]);
    // Named again: neither a value nor the keys set change, so no version.
    expect(
      (await gw.api('/config', { method: 'PATCH', body: { valores: { plantillaEmail: null } } })).body,
    ).toMatchObject({ version: 8, sinCambios: true });
  });

  it('gives a key back to the services’ environment: a version with the same values whose keys set lack it, announced, audited and a tarea', async () => {
    const antes = (await gw.api('/config')).body;
    const r = await gw.api(`/config/fijadas/cursos?motivo=${encodeURIComponent('que rija MOODLE_CURSOS')}`, {
      method: 'DELETE',
    });
    expect(r.status).toBe(200);
    const sinCursos = TODAS.filter((k) => k !== 'cursos');
    expect(r.body).toMatchObject({
      version: 9,
      sinCambios: false,
      cambios: [],
      fijadas: sinCursos,
      motivo: 'que rija MOODLE_CURSOS',
      cambiadoPor: 'admin',
    });
    expect(r.body.valores).toEqual(antes.valores);
    const evento = await anuncioDe(9);
    expect(evento.payload).toEqual({
      version: 9,
      valores: antes.valores,
      cambios: [],
      fijadas: sinCursos,
      cambiadoPor: 'admin',
    });
    expect((await gw.api('/config')).body).toMatchObject({ version: 9, fijadas: sinCursos });
    expect((await gw.api('/config/versiones?limit=1')).body.items).toEqual([
      expect.objectContaining({ version: 9, cambios: [], fijadasNuevas: [], soltadas: ['cursos'] }),
    ]);
    const { rows } = await gw.db.query(
      `SELECT actor, detalle FROM "${gw.config.DB_SCHEMA}".auditoria WHERE evento = 'accion.configuracion' AND correlation_id = 'config-9'`,
    );
    expect(rows).toEqual([
      {
        actor: 'admin',
        detalle: { version: 9, cambios: [], fijadasNuevas: [], soltadas: ['cursos'], motivo: 'que rija MOODLE_CURSOS' },
      },
    ]);
    const tareas = (await gw.api('/tareas?tipo=configuracion&limit=200')).body.items as {
      estado: string;
      total: number;
      detalle: { version?: number };
    }[];
    expect(tareas.find((t) => t.detalle.version === 9)).toMatchObject({
      estado: 'completada',
      total: 1,
      detalle: { version: 9, cambios: [], fijadasNuevas: [], soltadas: ['cursos'] },
    });
  });

  it('refuses to give back a key that is not set, a key the configuration does not have, the gateway’s own schedule and the limits, in Spanish; only an admin may', async () => {
    const suelta = await gw.api('/config/fijadas/cursos', { method: 'DELETE' });
    expect(suelta.status).toBe(400);
    expect(suelta.type).toContain('application/problem+json');
    expect(suelta.body.detail).toMatch(/cursos no está fijada.*entorno/);
    const desconocida = await gw.api('/config/fijadas/cursoz', { method: 'DELETE' });
    expect(desconocida.status).toBe(404);
    expect(desconocida.type).toContain('application/problem+json');
    expect(desconocida.body.detail).toMatch(/no tiene la clave cursoz.*loteTamano/);
    const horario = await gw.api('/config/fijadas/sincronizacion', { method: 'DELETE' });
    expect(horario.status).toBe(400);
    expect(horario.body.detail).toMatch(/solo el gateway/);
    const limites = await gw.api('/config/fijadas/limites', { method: 'DELETE' });
    expect(limites.status).toBe(400);
    expect(limites.body.detail).toMatch(/limites no puede volver al entorno: .*Redis/);
    const operador = await tokenDe(gw, 'operador-fijadas', 'operator');
    expect((await gw.api('/config/fijadas/upn', { method: 'DELETE', token: operador })).status).toBe(403);
    expect((await gw.api('/config')).body).toMatchObject({ version: 9, fijadas: TODAS.filter((k) => k !== 'cursos') });
  });

  it('refuses secrets with a 400 that says where they belong, and stores nothing', async () => {
    for (const valores of [
      { graphClientSecret: 'abc' },
      { limites: { graph: { rpm: 1, writeRpm: null, token: 'x' } } },
      { SMTP_PASSWORD: 'p' },
      { sialCredenciales: { usuario: 'u' } },
    ]) {
      const r = await gw.api('/config', { method: 'PATCH', body: { valores } });
      expect(r.status).toBe(400);
      expect(r.type).toContain('application/problem+json');
      expect(r.body.detail).toMatch(/secretos.*entorno/);
    }
    expect((await gw.api('/config')).body.version).toBe(9);
  });

  it('refuses invalid values naming each field', async () => {
    const r = await gw.api('/config', {
      method: 'PATCH',
      body: {
        valores: {
          loteTamano: 0,
          upn: { patron: '{nombre}@{domain}', dominio: 'x.edu' },
          moodleAuth: 'ldap',
          zonaHoraria: 'Marte/Olympus',
          plantillaEmail: { asunto: 'Hola {legajo}', html: '{{#if}}', texto: 'x' },
          // A class with no name, and a shortname Moodle would not keep as written.
          cursosOneRoster: { ' ': 'ING-2027-MATE', MAT101: '<b>MATE</b>' },
        },
      },
    });
    expect(r.status).toBe(400);
    for (const campo of [
      'valores.loteTamano',
      'valores.upn.patron',
      'valores.moodleAuth',
      'valores.zonaHoraria',
      'valores.plantillaEmail.asunto',
      'valores.plantillaEmail.html',
      'valores.cursosOneRoster',
    ])
      expect(r.body.detail).toContain(campo);
    expect((await gw.api('/config', { method: 'PUT', body: { valores: { loteTamano: 5 } } })).body.detail).toMatch(
      /valores\.limites/,
    );
  });

  it('imports a file exported elsewhere: every key in it is set, even with this site’s value; identical again is no new version, changed is one', async () => {
    const exp = await fetch(`${gw.url}/api/v1/config/export`, {
      headers: { authorization: `Bearer ${gw.adminToken}` },
    });
    expect(exp.headers.get('content-disposition')).toContain('lucy-config.json');
    const archivo = (await exp.json()) as { formato: string; version: number; valores: Record<string, unknown> };
    expect(archivo).toMatchObject({ formato: 'lucy-config', version: 9 });
    // cursos was given back: the file has this site's value for it, and now sets it.
    const identica = await gw.api('/config/import', { body: archivo });
    expect(identica.body).toMatchObject({
      version: 10,
      sinCambios: false,
      cambios: [],
      fijadas: TODAS,
      motivo: 'importada (versión 9 de origen)',
    });
    expect((await anuncioDe(10)).payload).toMatchObject({ cambios: [], fijadas: TODAS });
    expect((await gw.api('/config/import', { body: archivo })).body).toMatchObject({ version: 10, sinCambios: true });
    // A file exported before the schedule existed: this site's stays as it is.
    const { sincronizacion: _, ...sinHorario } = archivo.valores;
    const cambiado = await gw.api('/config/import', {
      body: { ...archivo, valores: { ...sinHorario, moodleAuth: 'oidc' } },
    });
    expect(cambiado.body).toMatchObject({
      version: 11,
      cambios: ['moodleAuth'],
      fijadas: TODAS,
      motivo: 'importada (versión 9 de origen)',
    });
    expect(cambiado.body.valores.sincronizacion).toEqual(archivo.valores.sincronizacion);
    const versiones = await gw.api('/config/versiones');
    expect(versiones.body.total).toBe(11);
    expect(versiones.body.items.map((v: { version: number }) => v.version)).toEqual([
      11, 10, 9, 8, 7, 6, 5, 4, 3, 2, 1,
    ]);
    expect(versiones.body.items[1]).toMatchObject({
      version: 10,
      cambios: [],
      fijadasNuevas: ['cursos'],
      soltadas: [],
    });
    expect((await gw.api('/config/versiones/1')).body.valores.loteTamano).toBe(50);
    expect((await gw.api('/config/versiones/99')).status).toBe(404);
    expect((await gw.api('/config/versiones/uno')).status).toBe(400);
  });

  it('lists which version each service that owns keys applies, and the keys it refused; one that does not answer is unknown', async () => {
    informes.ingest = {
      version: 11,
      cambiadoPor: 'admin',
      appliedAt: '2027-02-01T10:00:00.000Z',
      fijadas: ['loteTamano'],
      rechazadas: {},
    };
    informes.teams = {
      version: 10,
      cambiadoPor: 'admin',
      appliedAt: '2027-02-01T10:00:00.000Z',
      fijadas: ['upn', 'licenciaSku'],
      rechazadas: { upn: 'el dominio no está verificado en el tenant' },
    };
    informes.mail = undefined; // answers, but says nothing of its configuration (a build before runtime-config)
    const r = await gw.api('/config');
    expect(r.status).toBe(200);
    expect(r.body.version).toBe(11);
    expect(r.body.aplicacion).toEqual([
      { servicio: 'ingest-service', version: 11, rechazadas: {}, alDia: true, error: null },
      {
        servicio: 'teams-service',
        version: 10,
        rechazadas: { upn: 'el dominio no está verificado en el tenant' },
        alDia: false,
        error: null,
      },
      {
        servicio: 'moodle-service',
        version: null,
        rechazadas: null,
        alDia: false,
        error: expect.stringMatching(/^no responde/),
      },
      {
        servicio: 'mail-service',
        version: null,
        rechazadas: null,
        alDia: false,
        error: 'no informa su configuración en /health/ready',
      },
    ]);
    // The same on the dashboard's panel, for the services it reports on.
    const panel = (await gw.api('/panel/servicios')).body;
    expect(panel.configuracion).toEqual({ version: 11 });
    expect(
      panel.servicios.map((s: { servicio: string; configuracion: unknown }) => [s.servicio, s.configuracion]),
    ).toEqual([
      [
        'ingest-service',
        {
          version: 11,
          alDia: true,
          cambiadoPor: 'admin',
          appliedAt: '2027-02-01T10:00:00.000Z',
          fijadas: ['loteTamano'],
          rechazadas: {},
        },
      ],
      [
        'teams-service',
        {
          version: 10,
          alDia: false,
          cambiadoPor: 'admin',
          appliedAt: '2027-02-01T10:00:00.000Z',
          fijadas: ['upn', 'licenciaSku'],
          rechazadas: { upn: 'el dominio no está verificado en el tenant' },
        },
      ],
    ]);
  });

  it('announces the current version again when a gateway replica starts: the same version, keys set and author', async () => {
    const antes = mias().length;
    const replica = await startGateway('gwconfig-replica', {
      ...entorno,
      DB_SCHEMA: gw.config.DB_SCHEMA,
      SERVICE_NAME: gw.service,
      ADMIN_TOKEN: gw.adminToken,
    });
    try {
      const [otra] = await waitFor(
        () => mias().length > antes && mias().slice(antes),
        'ConfiguracionCambiada announced again at start',
      );
      const v11 = (await gw.api('/config/versiones/11')).body;
      expect(otra!.payload).toEqual({
        version: 11,
        valores: v11.valores,
        cambios: ['moodleAuth'],
        fijadas: TODAS,
        cambiadoPor: 'admin',
      });
      expect(otra!.correlationId).toMatch(/^config-arranque-/);
    } finally {
      await replica.close();
    }
    expect((await gw.api('/config')).body.version).toBe(11);
  });

  it('announces it again on an admin’s demand, recorded in the audit trail and as a tarea', async () => {
    const operador = await tokenDe(gw, 'operadora', 'operator');
    expect((await gw.api('/config/republicar', { method: 'POST', token: operador })).status).toBe(403);
    const antes = mias().length;
    const r = await gw.api('/config/republicar', { method: 'POST' });
    expect(r.status).toBe(202);
    expect(r.body).toMatchObject({ version: 11, fijadas: TODAS, tareaId: expect.any(String) });
    const [otra] = await waitFor(
      () => mias().length > antes && mias().slice(antes),
      'ConfiguracionCambiada announced again on demand',
    );
    expect(otra!.payload).toMatchObject({
      version: 11,
      cambios: ['moodleAuth'],
      cambiadoPor: 'admin',
      fijadas: r.body.fijadas,
    });
    expect(otra!.correlationId).toMatch(/^config-republicar-/);
    expect((await gw.api(`/tareas/${r.body.tareaId}`)).body).toMatchObject({
      tipo: 'configuracion',
      estado: 'completada',
      actor: 'admin',
      detalle: { version: 11, republicada: true },
    });
    const { rows } = await gw.db.query(
      `SELECT actor, correlation_id, detalle FROM "${gw.config.DB_SCHEMA}".auditoria WHERE evento = 'accion.republicar-configuracion'`,
    );
    expect(rows).toEqual([
      { actor: 'admin', correlation_id: otra!.correlationId, detalle: { version: 11, fijadas: r.body.fijadas } },
    ]);
    // Still version 11: nothing was stored.
    expect((await gw.api('/config/versiones')).body.total).toBe(11);
  });

  it('reads a row without fijadas (stored before they were, or by hand) as the previous row’s plus its own cambios', async () => {
    const t = `"${gw.config.DB_SCHEMA}".configuracion`;
    // Versions 1 to 3 as the migration found them: then every version's cambios together.
    await gw.db.query(`UPDATE ${t} SET fijadas = NULL WHERE version <= 3`);
    expect((await gw.api('/config/versiones/1')).body.fijadas).toEqual(['loteTamano', 'limites', 'upn']);
    expect((await gw.api('/config/versiones/3')).body.fijadas).toEqual(['loteTamano', 'limites', 'upn', 'zonaHoraria']);
    const pagina = (await gw.api('/config/versiones?limit=2&offset=8')).body.items;
    expect(pagina).toEqual([
      expect.objectContaining({
        version: 3,
        fijadas: ['loteTamano', 'limites', 'upn', 'zonaHoraria'],
        fijadasNuevas: [],
        soltadas: [],
      }),
      expect.objectContaining({
        version: 2,
        fijadas: ['loteTamano', 'limites', 'upn', 'zonaHoraria'],
        fijadasNuevas: ['zonaHoraria'],
        soltadas: [],
      }),
    ]);
    // A key given back stays so under a row written by hand afterwards, though an earlier version changed it.
    expect((await gw.api('/config/fijadas/cursos', { method: 'DELETE' })).body).toMatchObject({
      version: 12,
      fijadas: TODAS.filter((k) => k !== 'cursos'),
    });
    await gw.db.query(
      `INSERT INTO ${t} (version, valores, cambios, cambiado_por) SELECT 13, valores, '["loteTamano"]', 'a mano' FROM ${t} WHERE version = 12`,
    );
    expect((await gw.api('/config')).body).toMatchObject({
      version: 13,
      cambiadoPor: 'a mano',
      fijadas: TODAS.filter((k) => k !== 'cursos'),
    });
  });

  it('sends every API’s limits when a PATCH sets limites with the values it had: until then each service ran its own', async () => {
    const otro = await startGateway('gwconfig-limites', entorno);
    try {
      const dominio = `l${randomBytes(4).toString('hex')}.unrc.edu.ar`;
      const { valores } = (await otro.api('/config')).body;
      const r = await otro.api('/config', {
        method: 'PATCH',
        body: { valores: { limites: valores.limites, upn: { ...valores.upn, dominio } } },
      });
      expect(r.body).toMatchObject({ version: 1, cambios: ['upn'], fijadas: ['limites', 'upn'] });
      const evento = await waitFor(
        () => tap.envelopes(ConfiguracionCambiada).find((e) => e.payload.valores.upn.dominio === dominio),
        'ConfiguracionCambiada of the other gateway',
      );
      const limites = await waitFor(() => {
        const suyos = tap.envelopes(LimitesCambiados).filter((e) => e.correlationId === evento.correlationId);
        return suyos.length === 3 && suyos;
      }, 'LimitesCambiados for every API');
      expect(limites.map((e) => e.payload).sort((a, b) => a.api.localeCompare(b.api))).toEqual([
        { api: 'graph', rpm: 6000, writeRpm: 1100 },
        { api: 'moodle', rpm: 300 },
        { api: 'smtp', rpm: 30 },
      ]);
    } finally {
      await otro.close();
    }
  });

  it('reads a version stored before cursosAnteriores existed with its default, which the next change does not set unasked', async () => {
    const otro = await startGateway('gwconfig-antigua', entorno);
    try {
      const { valores } = (await otro.api('/config')).body;
      const { cursosAnteriores: _, ...antigua } = valores;
      await otro.db.query(
        `INSERT INTO "${otro.config.DB_SCHEMA}".configuracion (version, valores, cambios, fijadas, cambiado_por)
         VALUES (1, $1, '["loteTamano"]', '["loteTamano"]', 'antes')`,
        [JSON.stringify({ ...antigua, loteTamano: 30 })],
      );
      expect((await otro.api('/config')).body).toMatchObject({
        version: 1,
        valores: { loteTamano: 30, cursosAnteriores: 'conservar' },
        fijadas: ['loteTamano'],
      });
      // What the dashboard sends: every key, this one with the value shown.
      const r = await otro.api('/config', { method: 'PUT', body: { valores: { ...valores, loteTamano: 40 } } });
      expect(r.body).toMatchObject({ version: 2, cambios: ['loteTamano'], fijadas: ['loteTamano'] });
    } finally {
      await otro.close();
    }
  });

  it('documents the keys set, the services’ applied versions and the environment rule in the OpenAPI document', async () => {
    const doc = (await (await fetch(`${gw.url}/docs-json`)).json()) as any;
    const get = doc.paths['/api/v1/config'].get;
    const esquema = JSON.stringify(get.responses['200']);
    expect(esquema).toContain('"fijadas"');
    expect(esquema).toContain('"aplicacion"');
    expect(esquema).toContain('"alDia"');
    expect(get.description).toMatch(/environment value/);
    expect(JSON.stringify(doc.paths['/api/v1/config/versiones/{version}'].get.responses['200'])).toContain('"fijadas"');
    expect(doc.paths['/api/v1/config/republicar'].post.responses['202']).toBeDefined();
    const soltar = doc.paths['/api/v1/config/fijadas/{clave}'].delete;
    expect(soltar.responses['200']).toBeDefined();
    expect(soltar.description).toMatch(/environment/);
    expect(doc.paths['/api/v1/config/import'].post.description).toMatch(
      /Every top-level key present in the file becomes set/,
    );
    expect(JSON.stringify(doc.paths['/api/v1/config/versiones'].get.responses['200'])).toContain('"soltadas"');
  });
  it('refuses a credentials email that does not carry the credentials, and rates beyond what each API takes, each problem beside its field', async () => {
    const antes = (await gw.api('/config')).body.version;
    const r = await gw.api('/config', {
      method: 'PATCH',
      body: {
        valores: {
          plantillaEmail: {
            asunto: 'Tu clave: {{password}}',
            html: '<p>Bienvenida, {nombre}</p>',
            texto: 'Usuario {upn}',
          },
          limites: { graph: { rpm: 1e12, writeRpm: 1201 }, moodle: { rpm: 0 }, smtp: { rpm: 2.5 } },
        },
      },
    });
    expect({ status: r.status, type: r.type }).toEqual({
      status: 400,
      type: expect.stringContaining('application/problem+json'),
    });
    const problemas = Object.fromEntries(
      r.body.problemas.map((p: { campo: string; mensaje: string }) => [p.campo, p.mensaje]),
    );
    expect(problemas).toEqual({
      'valores.plantillaEmail.asunto': expect.stringMatching(/^no puede llevar \{password\}/),
      'valores.plantillaEmail.html': expect.stringMatching(
        /^debe mostrar \{upn\} y \{password\}.*falta \{upn\} y \{password\}/,
      ),
      'valores.plantillaEmail.texto': expect.stringMatching(/falta \{password\}\)$/),
      'valores.limites.graph.rpm': expect.stringMatching(/^como mucho 48\.000 pedidos por minuto \(Entra/),
      'valores.limites.graph.writeRpm': expect.stringMatching(/^como mucho 1\.200 escrituras por minuto/),
      'valores.limites.moodle.rpm': 'al menos 1 por minuto',
      'valores.limites.smtp.rpm': 'un número entero de pedidos por minuto',
    });
    const alTope = await gw.api('/config', {
      method: 'PATCH',
      body: {
        valores: { limites: { graph: { rpm: 48_000, writeRpm: 1_200 }, moodle: { rpm: 6_000 }, smtp: { rpm: 1_000 } } },
      },
    });
    expect(alTope.status).toBe(200);
    expect(alTope.body.version).toBe(antes + 1);
  });
});
