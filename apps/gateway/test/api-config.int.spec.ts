// The runtime configuration through the API: validated, versioned with who changed what, announced to the
// services (ConfiguracionCambiada, LimitesCambiados), exported and imported; secrets refused.
import { ConfiguracionCambiada, LimitesCambiados } from '@lucy/contracts';
import { BrokerTap, waitFor } from '@lucy/testing';
import { startGateway, type TestGateway } from './support/gateway.js';

describe('gateway API: configuration', () => {
  let gw: TestGateway;
  let tap: BrokerTap;

  beforeAll(async () => {
    gw = await startGateway('gwconfig');
    tap = await BrokerTap.open([ConfiguracionCambiada, LimitesCambiados], { url: gw.config.RABBITMQ_URL });
  });
  afterAll(async () => {
    await tap?.close();
    await gw?.close();
  });

  it('starts at version 0, the services’ defaults', async () => {
    const r = await gw.api('/config');
    expect(r.body).toMatchObject({ version: 0, cambiadoPor: 'predeterminado', valores: { loteTamano: 20, moodleAuth: 'oauth2', plantillaEmail: null } });
  });

  it('stores a change as a new version and announces it, with the limits that changed', async () => {
    const { valores } = (await gw.api('/config')).body;
    const nuevos = { ...valores, loteTamano: 50, limites: { ...valores.limites, moodle: { rpm: 120 } }, upn: { patron: '{inicial}{apellido}{dni}@{domain}', dominio: 'alumnos.unrc.edu.ar' } };
    const r = await gw.api('/config', { method: 'PUT', body: { valores: nuevos, motivo: 'inscripción de febrero', versionBase: 0 } });
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ version: 1, sinCambios: false, cambiadoPor: 'admin', motivo: 'inscripción de febrero', cambios: ['loteTamano', 'limites', 'upn'] });
    const [evento] = await waitFor(() => tap.of(ConfiguracionCambiada, { version: 1 }).length && tap.of(ConfiguracionCambiada, { version: 1 }), 'ConfiguracionCambiada v1');
    expect(evento).toEqual({ version: 1, valores: nuevos, cambios: ['loteTamano', 'limites', 'upn'], cambiadoPor: 'admin' });
    await waitFor(() => tap.of(LimitesCambiados).length, 'LimitesCambiados');
    expect(tap.of(LimitesCambiados)).toEqual([{ api: 'moodle', rpm: 120 }]);
  });

  it('changes some keys with PATCH, refusing an edit of a version that is no longer current', async () => {
    const stale = await gw.api('/config', { method: 'PATCH', body: { valores: { zonaHoraria: 'America/Argentina/Buenos_Aires' }, versionBase: 0 } });
    expect(stale.status).toBe(409);
    expect(stale.body.detail).toMatch(/versión 0.*actual es la 1/);
    const ok = await gw.api('/config', { method: 'PATCH', body: { valores: { zonaHoraria: 'America/Argentina/Buenos_Aires' }, versionBase: 1 } });
    expect(ok.body).toMatchObject({ version: 2, cambios: ['zonaHoraria'], valores: { loteTamano: 50, zonaHoraria: 'America/Argentina/Buenos_Aires' } });
    const igual = await gw.api('/config', { method: 'PATCH', body: { valores: { loteTamano: 50 } } });
    expect(igual.body).toMatchObject({ version: 2, sinCambios: true });
  });

  it('refuses secrets with a 400 that says where they belong, and stores nothing', async () => {
    for (const valores of [{ graphClientSecret: 'abc' }, { limites: { graph: { rpm: 1, writeRpm: null, token: 'x' } } }, { SMTP_PASSWORD: 'p' }, { sialCredenciales: { usuario: 'u' } }]) {
      const r = await gw.api('/config', { method: 'PATCH', body: { valores } });
      expect(r.status).toBe(400);
      expect(r.type).toContain('application/problem+json');
      expect(r.body.detail).toMatch(/secretos.*entorno/);
    }
    expect((await gw.api('/config')).body.version).toBe(2);
  });

  it('refuses invalid values naming each field', async () => {
    const r = await gw.api('/config', { method: 'PATCH', body: { valores: { loteTamano: 0, upn: { patron: '{nombre}@{domain}', dominio: 'x.edu' }, moodleAuth: 'ldap', zonaHoraria: 'Marte/Olympus', plantillaEmail: { asunto: 'Hola {legajo}', html: '{{#if}}', texto: 'x' } } } });
    expect(r.status).toBe(400);
    for (const campo of ['valores.loteTamano', 'valores.upn.patron', 'valores.moodleAuth', 'valores.zonaHoraria', 'valores.plantillaEmail.asunto', 'valores.plantillaEmail.html']) expect(r.body.detail).toContain(campo);
    expect((await gw.api('/config', { method: 'PUT', body: { valores: { loteTamano: 5 } } })).body.detail).toMatch(/valores\.limites/);
  });

  it('exports the configuration and imports it back: identical is no new version, changed is one', async () => {
    const exp = await fetch(`${gw.url}/api/v1/config/export`, { headers: { authorization: `Bearer ${gw.adminToken}` } });
    expect(exp.headers.get('content-disposition')).toContain('lucy-config.json');
    const archivo = (await exp.json()) as { formato: string; version: number; valores: Record<string, unknown> };
    expect(archivo).toMatchObject({ formato: 'lucy-config', version: 2 });
    expect((await gw.api('/config/import', { body: archivo })).body).toMatchObject({ version: 2, sinCambios: true });
    const cambiado = await gw.api('/config/import', { body: { ...archivo, valores: { ...archivo.valores, moodleAuth: 'manual' } } });
    expect(cambiado.body).toMatchObject({ version: 3, cambios: ['moodleAuth'], motivo: 'importada (versión 2 de origen)' });
    const versiones = await gw.api('/config/versiones');
    expect(versiones.body).toMatchObject({ total: 3, items: [{ version: 3 }, { version: 2 }, { version: 1, cambiadoPor: 'admin' }] });
    expect((await gw.api('/config/versiones/1')).body.valores.loteTamano).toBe(50);
    expect((await gw.api('/config/versiones/99')).status).toBe(404);
    expect((await gw.api('/config/versiones/uno')).status).toBe(400);
  });
});
