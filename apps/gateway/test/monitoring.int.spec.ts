// What the gateway tells about the last hour and the workflows: the history the Servicios page charts
// (onboardings per minute from the workflows, queue depth sampled from the broker) and the figures on
// /metrics that Prometheus's alerts read (workflows by state, stuck ones, the current configuration).
import { randomUUID } from 'node:crypto';
import amqp from 'amqplib';
import { deleteServiceQueues, throwawayNames } from '@lucy/testing';
import { HistorialService } from '../src/dashboard/historial.service.js';
import { startGateway, type TestGateway } from './support/gateway.js';

describe('gateway: the last hour and the workflows, for charts and alerts', () => {
  const otro = throwawayNames('gwmon-svc').service;
  let gw: TestGateway;

  beforeAll(async () => {
    gw = await startGateway('gwmon', {
      SERVICES: otro,
      SERVICE_URLS: JSON.stringify({ [otro]: 'http://127.0.0.1:9' }),
    });
    const w = `"${gw.config.DB_SCHEMA}".workflow`;
    const workflow = (estado: string, terminado: string | null, atascado = false) =>
      gw.db.query(
        `INSERT INTO ${w} (id, alumno_id, tipo, estado, correlation_id, atascado, finished_at)
         VALUES ($1, $2, 'onboarding', $3, 'c', $4, now() - $5::interval)`,
        [randomUUID(), randomUUID(), estado, atascado, terminado],
      );
    await workflow('completado', '0 seconds');
    await workflow('completado', '0 seconds');
    await workflow('completado_con_avisos', '2 minutes');
    await workflow('completado', '2 hours'); // outside the hour
    await workflow('fallido', '0 seconds'); // finished, not onboarded
    await workflow('creando_cuenta', null, true);
  });
  afterAll(async () => {
    await gw?.close();
    await deleteServiceQueues(otro, [], gw?.config.RABBITMQ_URL);
  });

  it('gives the onboardings of each minute of the last hour, zero-filled, to a bearer token only', async () => {
    expect((await gw.api('/panel/historial', { token: null })).status).toBe(401);
    const { status, body } = await gw.api('/panel/historial');
    expect(status).toBe(200);
    expect(body.incorporaciones).toHaveLength(60);
    const minutos = body.incorporaciones.map((p: { at: string }) => Date.parse(p.at));
    expect(minutos.slice(1).map((t: number, i: number) => t - minutos[i])).toEqual(Array(59).fill(60_000));
    expect(Math.abs(minutos[59] - Date.now())).toBeLessThan(120_000);
    // Completed with or without warnings, in the hour: 3; the failed one and the one of 2 hours ago are not.
    expect(body.incorporaciones.reduce((n: number, p: { alumnos: number }) => n + p.alumnos, 0)).toBe(3);
  });

  it('samples the queues at start and on each sample after, the broker’s count per service', async () => {
    const antes = (await gw.api('/panel/historial')).body.colas;
    expect(antes.length).toBeGreaterThanOrEqual(1); // the sample taken at start
    expect(antes[0].porServicio).toEqual({ [otro]: null }); // its queue did not exist: not known, not 0

    const conn = await amqp.connect(gw.config.RABBITMQ_URL);
    const ch = await conn.createChannel();
    await ch.assertQueue(otro, { durable: true });
    for (let i = 0; i < 3; i++) ch.sendToQueue(otro, Buffer.from('{}'));
    await ch.close();
    await conn.close();

    await gw.app.get(HistorialService).muestrear();
    const { colas } = (await gw.api('/panel/historial')).body;
    expect(colas).toHaveLength(antes.length + 1);
    expect(colas.at(-1)).toMatchObject({ porServicio: { [otro]: 3 }, enCola: 3, aparcados: 0 });
    expect(Date.parse(colas.at(-1).at)).toBeGreaterThanOrEqual(Date.parse(antes.at(-1).at));
  });

  it('says on /metrics how many workflows are in each state, how many are stuck, and the current configuration version', async () => {
    const texto = await (await fetch(`${gw.url}/metrics`)).text();
    const valor = (serie: string) =>
      Number(
        new RegExp(`^${serie.replace(/[{}]/g, '\\$&')} (\\S+)$`, 'm').exec(
          texto.replace(/,?service="[^"]*"/g, ''),
        )?.[1],
      );
    expect(valor('lucy_workflows{estado="completado"}')).toBe(3);
    expect(valor('lucy_workflows{estado="completado_con_avisos"}')).toBe(1);
    expect(valor('lucy_workflows{estado="fallido"}')).toBe(1);
    expect(valor('lucy_workflows{estado="compensando"}')).toBe(0); // every state, 0 included
    expect(valor('lucy_workflows_atascados{}')).toBe(1);
    const version = (await gw.api('/config')).body.version;
    expect(valor('lucy_config_current_version{}')).toBe(version);
  });
});
