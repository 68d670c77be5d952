// Breakers through the API: live from each service's /health/ready, else the last BreakerCambiado heard;
// a reset is a ReiniciarBreaker command.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { BreakerCambiado, ReiniciarBreaker } from '@lucy/contracts';
import { BrokerTap, throwawayNames, waitFor } from '@lucy/testing';
import { startGateway, tokenDe, type TestGateway } from './support/gateway.js';

describe('gateway API: breakers', () => {
  const vivo = throwawayNames('gwbrk-vivo').service;
  const caido = throwawayNames('gwbrk-caido').service;
  let gw: TestGateway;
  let tap: BrokerTap;
  let salud: Server;

  beforeAll(async () => {
    // A service answering /health/ready as libs/platform + libs/resilience do, with its Graph breaker open.
    salud = createServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(
        JSON.stringify({
          status: 'ok',
          details: {
            database: { status: 'up' },
            'breaker:graph': {
              status: 'up',
              state: 'open',
              since: '2027-02-01T10:00:00.000Z',
              lastFailure: 'Graph 503',
              rateLimit: { rpm: 6000 },
            },
          },
        }),
      );
    });
    await new Promise<void>((r) => salud.listen(0, '127.0.0.1', r));
    const port = (salud.address() as AddressInfo).port;
    gw = await startGateway('gwbrk', {
      SERVICES: `${vivo},${caido}`,
      SERVICE_URLS: JSON.stringify({ [vivo]: `http://127.0.0.1:${port}`, [caido]: 'http://127.0.0.1:9' }),
    });
    tap = await BrokerTap.open([ReiniciarBreaker], { url: gw.config.RABBITMQ_URL });
  });
  afterAll(async () => {
    await tap?.close();
    await gw?.close();
    await new Promise((r) => salud?.close(r));
  });

  it("shows each service's breakers: live when it answers, the last event heard when it does not", async () => {
    await tap.publish(BreakerCambiado, {
      servicio: caido,
      dependencia: 'moodle',
      estado: 'open',
      at: '2027-02-01T10:00:00.000Z',
      motivo: 'Moodle 502',
    });
    // An older event arriving later does not overwrite a newer one.
    await tap.publish(BreakerCambiado, {
      servicio: caido,
      dependencia: 'moodle',
      estado: 'closed',
      at: '2027-02-01T09:00:00.000Z',
    });
    await tap.publish(BreakerCambiado, {
      servicio: vivo,
      dependencia: 'graph',
      estado: 'closed',
      at: '2027-02-01T09:00:00.000Z',
    });
    const r = await waitFor(async () => {
      const b = (await gw.api('/breakers')).body;
      return (
        b.find((s: { servicio: string }) => s.servicio === caido)?.breakers.length &&
        b.find((s: { servicio: string }) => s.servicio === vivo)?.breakers[0]?.ultimoEvento &&
        b
      );
    }, 'the breakers');
    expect(r).toEqual([
      {
        servicio: vivo,
        alcanzable: true,
        error: null,
        breakers: [
          expect.objectContaining({
            dependencia: 'graph',
            estado: 'open',
            motivo: 'Graph 503',
            fuente: 'servicio',
            limite: { rpm: 6000 },
          }),
        ],
      },
      {
        servicio: caido,
        alcanzable: false,
        error: expect.any(String),
        breakers: [
          expect.objectContaining({ dependencia: 'moodle', estado: 'open', motivo: 'Moodle 502', fuente: 'evento' }),
        ],
      },
    ]);
  });

  it('resets a breaker by sending ReiniciarBreaker, for an operator only', async () => {
    const viewer = await tokenDe(gw, 'mirona', 'viewer');
    expect((await gw.api(`/breakers/${vivo}/graph/reiniciar`, { method: 'POST', token: viewer })).status).toBe(403);
    const r = await gw.api(`/breakers/${vivo}/graph/reiniciar`, { method: 'POST' });
    expect(r.status).toBe(202);
    expect(r.body).toMatchObject({ servicio: vivo, dependencia: 'graph', comando: 'breaker.reiniciar' });
    await waitFor(() => tap.of(ReiniciarBreaker, { servicio: vivo }).length, 'ReiniciarBreaker');
    expect(tap.of(ReiniciarBreaker, { servicio: vivo })).toEqual([{ servicio: vivo, dependencia: 'graph' }]);
    expect((await gw.api('/breakers/nadie/graph/reiniciar', { method: 'POST' })).status).toBe(404);
    expect((await gw.api(`/breakers/${vivo}/GRAPH!/reiniciar`, { method: 'POST' })).status).toBe(400);
  });
});
