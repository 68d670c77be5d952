// The dashboard's side of the gateway: its files at / (no token, strict CSP), and its API — every
// service's health in one answer (a stand-in service's /health/ready and /metrics, the real broker's
// queue counts), the same as a live stream, and the dry run of a configuration edit.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { throwawayNames, waitFor } from '@lucy/testing';
import { startGateway, type TestGateway } from './support/gateway.js';

describe('gateway: the dashboard', () => {
  const otro = throwawayNames('gwdash-svc').service;
  const caido = throwawayNames('gwdash-caido').service;
  let gw: TestGateway;
  let servicio: Server;
  let consumidos = 0;

  beforeAll(async () => {
    // A service as libs/platform, libs/messaging and libs/resilience make it answer: its Graph breaker
    // open at half its configured rate, and a consumed-messages counter that grows between scrapes.
    servicio = createServer((req, res) => {
      if (req.url === '/metrics') {
        consumidos += 30;
        res.writeHead(200, { 'content-type': 'text/plain' });
        return res.end(
          `lucy_messages_consumed_total{queue="${otro}",type="alumno.creado",outcome="applied"} ${consumidos}\nlucy_external_calls_total{dependency="graph",kind="read",outcome="success"} ${consumidos}\n`,
        );
      }
      res.writeHead(503, { 'content-type': 'application/json' });
      res.end(
        JSON.stringify({
          status: 'error',
          details: {
            database: { status: 'up' },
            broker: { status: 'up', connected: true, reconnects: 0, lastError: null, outboxPending: 2 },
            'breaker:graph': {
              status: 'up',
              state: 'open',
              since: '2027-02-01T10:00:00.000Z',
              lastFailure: 'Graph 503',
              rateLimit: { limits: { rpm: 600 }, factor: 0.5 },
            },
          },
        }),
      );
    });
    await new Promise<void>((r) => servicio.listen(0, '127.0.0.1', r));
    const port = (servicio.address() as AddressInfo).port;
    gw = await startGateway('gwdash', {
      SERVICES: `${otro},${caido}`,
      SERVICE_URLS: JSON.stringify({ [otro]: `http://127.0.0.1:${port}`, [caido]: 'http://127.0.0.1:9' }),
    });
  });
  afterAll(async () => {
    await gw?.close();
    await new Promise((r) => servicio?.close(r));
  });

  it('serves the page at / without a token, with a Content Security Policy that allows only its own files', async () => {
    const res = await fetch(`${gw.url}/`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/text\/html/);
    expect(res.headers.get('content-security-policy')).toContain("script-src 'self'");
    expect(await res.text()).toContain('<html lang="es">');
    const js = await fetch(`${gw.url}/ui/app.js`);
    expect(js.headers.get('content-type')).toMatch(/javascript/);
    for (const path of ['/ui/nada.js', '/ui/..%2Fdashboard.module.ts', '/ui/index.html'])
      expect((await fetch(`${gw.url}${path}`)).status).toBe(404);
  });

  it('serves every module the page imports, and routes every section of its navigation', async () => {
    // The page is plain modules with no build step: a file missing from public/, or a section linked from
    // the navigation that no route answers, only shows in a browser — unless this follows the imports.
    const servidos = new Set<string>();
    const pendientes = ['app.js'];
    while (pendientes.length) {
      const archivo = pendientes.pop()!;
      if (servidos.has(archivo)) continue;
      const res = await fetch(`${gw.url}/ui/${archivo}`);
      expect([archivo, res.status]).toEqual([archivo, 200]);
      expect(res.headers.get('content-type')).toMatch(/javascript/);
      servidos.add(archivo);
      for (const [, importado] of (await res.text()).matchAll(/from '\.\/([a-z0-9-]+\.js)'/g))
        pendientes.push(importado!);
    }
    expect([...servidos]).toEqual(expect.arrayContaining(['reconciliacion-page.js', 'retencion-page.js']));

    const html = await (await fetch(`${gw.url}/`)).text();
    const secciones = [...html.matchAll(/<a href="#(\/[a-z]+)">/g)].map(([, ruta]) => ruta!);
    expect(secciones).toEqual(expect.arrayContaining(['/reconciliacion', '/retencion']));
    const app = await (await fetch(`${gw.url}/ui/app.js`)).text();
    const rutas = [...app.matchAll(/^ {2}\[\/(\^.*?\$)\/,/gm)].map(([, re]) => new RegExp(re!));
    expect(rutas.length).toBeGreaterThan(5);
    for (const ruta of secciones) expect([ruta, rutas.some((re) => re.test(ruta))]).toEqual([ruta, true]);
  });

  it("gathers each service's health: state and why, broker and outbox, breakers with rate use, queue counts from the broker, throughput", async () => {
    expect((await gw.api('/panel/servicios', { token: null })).status).toBe(401);
    // Throughput needs two scrapes of the counters, a moment apart.
    const panel = await waitFor(
      async () => {
        const r = await gw.api('/panel/servicios');
        return (
          r.body.servicios.find((s: { servicio: string }) => s.servicio === otro)?.mensajesPorMinuto !== null && r.body
        );
      },
      'a throughput figure',
      { timeoutMs: 15_000, everyMs: 500 },
    );
    const s = panel.servicios.find((x: { servicio: string }) => x.servicio === otro);
    expect(s).toMatchObject({
      estado: 'degradado',
      motivo: 'breaker graph abierto',
      broker: { conectado: true, outboxPendiente: 2 },
      ultimoError: 'graph: Graph 503',
      aparcados: 0,
    });
    expect(s.breakers).toEqual([expect.objectContaining({ dependencia: 'graph', estado: 'open', rpm: 300 })]);
    expect(s.mensajesPorMinuto).toBeGreaterThan(0);
    expect(s.usoTasa).toBeGreaterThan(0);
    // Its queue was never declared: the broker says so, and nothing is made up.
    expect(s.colas[0]).toEqual({ cola: otro, mensajes: null, consumidores: null, aparcados: null });
    // A service that does not answer: down, with the reason.
    expect(panel.servicios.find((x: { servicio: string }) => x.servicio === caido)).toMatchObject({
      estado: 'caido',
      motivo: expect.stringMatching(/^no responde/),
    });
  });

  it('streams the same picture as server-sent events, to a bearer token only', async () => {
    expect((await fetch(`${gw.url}/api/v1/panel/eventos`)).status).toBe(401);
    const ctrl = new AbortController();
    const res = await fetch(`${gw.url}/api/v1/panel/eventos`, {
      headers: { authorization: `Bearer ${gw.adminToken}` },
      signal: ctrl.signal,
    });
    expect(res.headers.get('content-type')).toMatch(/text\/event-stream/);
    const lector = res.body!.pipeThrough(new TextDecoderStream()).getReader();
    let texto = '';
    while (!texto.includes('\n\n')) texto += (await lector.read()).value ?? '';
    ctrl.abort();
    expect(texto).toMatch(/^event: servicios\n/m);
    const datos = JSON.parse(/^data: (.*)$/m.exec(texto)![1]!);
    expect(datos.servicios.map((s: { servicio: string }) => s.servicio)).toEqual([otro, caido]);
  });

  it('checks a configuration edit without saving it, naming each problem by field', async () => {
    const actual = (await gw.api('/config')).body;
    const ok = await gw.api('/panel/config/validar', { body: { valores: actual.valores } });
    expect(ok.body).toEqual({ valida: true, problemas: [] });
    const mal = await gw.api('/panel/config/validar', {
      body: { valores: { ...actual.valores, zonaHoraria: 'Marte/Olympus', loteTamano: -1 } },
    });
    expect(mal.status).toBe(200);
    expect(mal.body.valida).toBe(false);
    expect(mal.body.problemas.map((p: { campo: string }) => p.campo).sort()).toEqual(['loteTamano', 'zonaHoraria']);
    expect((await gw.api('/config')).body.version).toBe(actual.version);
    // A secret is refused before anything looks at it, as on every route.
    const secreto = await gw.api('/panel/config/validar', {
      body: { valores: { ...actual.valores, graphClientSecret: 'x' } },
    });
    expect(secreto.status).toBe(400);
    expect(secreto.body.detail).toMatch(/secretos/);
  });
});
