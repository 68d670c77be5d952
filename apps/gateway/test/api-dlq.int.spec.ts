// Parked messages through the API, against real parking queues: one the gateway itself parked (a
// message whose schema is invalid), and a service's queue filled as the transport fills it.
import { randomUUID } from 'node:crypto';
import amqp from 'amqplib';
import { FailureHeaders, parkedQueueName } from '@lucy/messaging';
import { BrokerTap, deleteServiceQueues, throwawayNames, waitFor } from '@lucy/testing';
import { LoteIngestado } from '@lucy/contracts';
import { startGateway, tokenDe, type TestGateway } from './support/gateway.js';

describe('gateway API: dead letters', () => {
  const otro = throwawayNames('gwdlqsvc').service;
  let gw: TestGateway;
  let tap: BrokerTap;
  let operador: string;
  let conn: amqp.ChannelModel;
  let ch: amqp.Channel;

  const aparcar = (cola: string, tipo: string, error: string) => {
    const messageId = randomUUID();
    ch.sendToQueue(
      parkedQueueName(cola),
      Buffer.from(
        JSON.stringify({
          messageId,
          type: tipo,
          version: 1,
          payload: { alumnoId: randomUUID(), credencial: { ct: 'sellado' } },
        }),
      ),
      {
        persistent: true,
        messageId,
        type: tipo,
        headers: {
          [FailureHeaders.error]: error,
          [FailureHeaders.attempts]: 5,
          [FailureHeaders.parkedAt]: new Date().toISOString(),
        },
      },
    );
    return messageId;
  };

  beforeAll(async () => {
    gw = await startGateway('gwdlq');
    tap = await BrokerTap.open([], { url: gw.config.RABBITMQ_URL });
    conn = await amqp.connect(gw.config.RABBITMQ_URL);
    ch = await conn.createChannel();
    await ch.assertQueue(otro, { durable: true });
    await ch.assertQueue(parkedQueueName(otro), { durable: true });
    operador = await tokenDe(gw, 'operadora', 'operator');
  });
  afterAll(async () => {
    await conn?.close().catch(() => undefined);
    await deleteServiceQueues(otro, []).catch(() => undefined);
    await tap?.close();
    await gw?.close();
  });

  it('lists what the gateway parked, with the reason and attempts, and discards it', async () => {
    const mala = {
      messageId: randomUUID(),
      correlationId: randomUUID(),
      causationId: null,
      occurredAt: new Date().toISOString(),
      type: LoteIngestado.name,
      version: 1,
      payload: { loteId: 'no-es-un-uuid' },
    };
    await tap.send(LoteIngestado, mala as never);
    await waitFor(async () => (await tap.queueDepth(parkedQueueName(gw.service))) === 1, 'the bad message parked');

    const resumen = await gw.api('/dlq');
    expect(resumen.body).toEqual([
      {
        servicio: gw.service,
        aparcados: 1,
        colas: [
          { cola: gw.service, aparcados: 1 },
          { cola: `${gw.service}.control`, aparcados: null },
        ],
      },
    ]);
    const lista = await gw.api(`/dlq/${gw.service}`, { token: operador });
    expect(lista.body).toMatchObject({ servicio: gw.service, cola: gw.service, total: 1 });
    expect(lista.body.mensajes[0]).toMatchObject({
      messageId: mala.messageId,
      tipo: 'lote.ingestado',
      intentos: expect.any(Number),
      error: expect.stringMatching(/loteId/),
      cuerpo: expect.objectContaining({ payload: { loteId: 'no-es-un-uuid' } }),
    });
    // Listing leaves the message where it was.
    expect(await tap.queueDepth(parkedQueueName(gw.service))).toBe(1);

    const descarte = await gw.api(`/dlq/${gw.service}/descartar`, {
      token: operador,
      body: { messageId: mala.messageId },
    });
    expect(descarte.body).toMatchObject({ operacion: 'descartar', mensajes: 1 });
    expect(await tap.queueDepth(parkedQueueName(gw.service))).toBe(0);
    expect((await gw.api(`/tareas/${descarte.body.tareaId}`)).body).toMatchObject({
      tipo: 'dlq',
      actor: 'operadora',
      detalle: expect.objectContaining({ operacion: 'descartar' }),
    });
  });

  it('replays one parked message, then all, to the queue they failed in; hides sealed credentials', async () => {
    // This gateway reports on its own queue only; ask about the other service through one that knows it.
    const conOtro = await startGatewayKnowing(otro);
    try {
      const [a, b, c] = [
        aparcar(otro, 'alumno.creado', 'Graph 503'),
        aparcar(otro, 'alumno.creado', 'Graph 503'),
        aparcar(otro, 'moodle.enrolar', 'timeout'),
      ];
      await waitFor(async () => (await tap.queueDepth(parkedQueueName(otro))) === 3, 'three parked');
      const lista = await conOtro.api(`/dlq/${otro}`);
      expect(lista.body.mensajes.map((m: { messageId: string }) => m.messageId)).toEqual([a, b, c]);
      expect(JSON.stringify(lista.body)).not.toContain('sellado');

      const uno = await conOtro.api(`/dlq/${otro}/reintentar`, { body: { messageId: b } });
      expect(uno.body).toMatchObject({ operacion: 'reintentar', mensajes: 1 });
      expect(await tap.queueDepth(otro)).toBe(1);
      expect(await tap.queueDepth(parkedQueueName(otro))).toBe(2);
      expect((await conOtro.api(`/dlq/${otro}/reintentar`, { body: { messageId: b } })).status).toBe(404);

      const todos = await conOtro.api(`/dlq/${otro}/reintentar`, { body: {} });
      expect(todos.body.mensajes).toBe(2);
      expect(await tap.queueDepth(otro)).toBe(3);
      expect(await tap.queueDepth(parkedQueueName(otro))).toBe(0);
    } finally {
      await conOtro.close();
    }
  });

  it('answers 404 for an unknown service or queue and 400 for a discard that names nothing', async () => {
    expect((await gw.api('/dlq/no-existe', { token: operador })).status).toBe(404);
    expect((await gw.api(`/dlq/${gw.service}?cola=otra`, { token: operador })).status).toBe(404);
    const r = await gw.api(`/dlq/${gw.service}/descartar`, { token: operador, body: {} });
    expect(r.status).toBe(400);
    expect(r.body.detail).toMatch(/messageId.*todos/);
    expect((await gw.api(`/dlq/${gw.service}`, { token: await tokenDe(gw, 'solo-lectura', 'viewer') })).status).toBe(
      403,
    );
  });
});

async function startGatewayKnowing(servicio: string): Promise<TestGateway> {
  return startGateway('gwdlq2', { SERVICES: servicio });
}
