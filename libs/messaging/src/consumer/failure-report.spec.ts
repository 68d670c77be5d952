import { randomUUID } from 'node:crypto';
import type { Logger } from 'pino';
import { QueryFailedError, type EntityManager } from 'typeorm';
import { z } from 'zod';
import { defineCommand, defineEvent, fallo, type Envelope } from '@lucy/contracts';
import { DeferError, PermanentError, TransientError } from '../errors.js';
import { reportingFailures, type FailureReport } from './failure-report.js';
import type { HandlerFn } from './handler-binding.js';
import { MessageContext } from './message-context.js';
import { OwnTransactionContext, type OwnTransactions } from './own-transactions.js';

const Hecho = defineEvent({ name: 'prueba.hecho', version: 1, schema: z.object({ id: z.string() }) });
const Fallido = defineEvent({
  name: 'prueba.fallido',
  version: 1,
  schema: z.object({ id: z.string(), nota: z.string().optional(), ...fallo }),
});
const Hacer = defineCommand({
  name: 'prueba.hacer',
  version: 1,
  schema: z.object({ id: z.string() }),
  replies: [Hecho, Fallido],
});

const report: FailureReport<typeof Hacer, typeof Fallido> = {
  event: Fallido,
  payload: (cmd, f) => ({ id: cmd.id, ...f }),
};

const envelope = (): Envelope => ({
  messageId: randomUUID(),
  correlationId: randomUUID(),
  causationId: null,
  occurredAt: new Date().toISOString(),
  type: Hacer.name,
  version: 1,
  payload: { id: 'a1' },
});

const warnings: unknown[] = [];
const log = { warn: (o: unknown) => warnings.push(o) } as unknown as Logger;
const manager = { tag: 'the message transaction' } as unknown as EntityManager;

/** Runs `handle` as the transport would for a handler that declared `report`; the context after it. */
async function run(handle: HandlerFn, { last = false, decl = report as FailureReport | null } = {}) {
  const ctx = new MessageContext(envelope(), manager, last ? 4 : 1, last);
  const wrapped = decl ? reportingFailures(handle, decl, log) : handle;
  await wrapped({ id: 'a1' }, ctx);
  return ctx;
}

const published = (ctx: { outgoing: { routingKey: string; body: Buffer }[] }) =>
  ctx.outgoing.map((o) => ({ key: o.routingKey, payload: JSON.parse(o.body.toString()).payload }));

beforeEach(() => (warnings.length = 0));

describe('reportingFailures (message transaction)', () => {
  it('a permanent error publishes the failure event in place of what was published, and the handler returns (applied)', async () => {
    const ctx = await run((_, c) => {
      c.publish(Hecho, { id: 'a1' });
      throw new PermanentError('no such course', 'curso-inexistente');
    });
    expect(published(ctx)).toEqual([
      {
        key: 'prueba.fallido.v1',
        payload: { id: 'a1', motivo: 'no such course', codigo: 'curso-inexistente', permanente: true },
      },
    ]);
    expect(warnings).toEqual([expect.objectContaining({ id: 'a1', permanente: true, failure: Fallido.id })]);
  });

  it('a transient error before the last attempt is thrown again for the transport to retry', async () => {
    const err = new TransientError('Moodle 503', 'http-503');
    await expect(run(() => Promise.reject(err))).rejects.toBe(err);
    expect(warnings).toEqual([]);
  });

  it('any error on the last attempt is reported, not permanent, its reason naming the error', async () => {
    const ctx = await run(() => Promise.reject(new TransientError('Moodle 503', 'http-503')), { last: true });
    expect(published(ctx)).toEqual([
      {
        key: 'prueba.fallido.v1',
        payload: { id: 'a1', motivo: 'TransientError: Moodle 503', codigo: 'http-503', permanente: false },
      },
    ]);
  });

  it('a deferral is thrown again, even on the last attempt', async () => {
    const err = new DeferError('breaker open', 5000);
    await expect(run(() => Promise.reject(err), { last: true })).rejects.toBe(err);
    expect(warnings).toEqual([]);
  });

  it('without onFailure declared the error goes to the transport as before, permanent or last', async () => {
    const err = new PermanentError('bad');
    await expect(run(() => Promise.reject(err), { last: true, decl: null })).rejects.toBe(err);
  });

  it('what the handler adds with ctx.onFailure goes with the event, and its writes run in the message transaction', async () => {
    const writes: unknown[] = [];
    const ctx = await run((_, c) => {
      c.onFailure<z.infer<typeof Fallido.schema>>((f) => {
        f.motivo = `${f.motivo}; cleaned up`;
        return { fields: { nota: 'left a user' }, write: async (m) => writes.push(m) };
      });
      throw new PermanentError('refused');
    });
    expect(published(ctx)[0]!.payload).toEqual({
      id: 'a1',
      motivo: 'refused; cleaned up',
      nota: 'left a user',
      permanente: true,
    });
    expect(writes).toEqual([manager]);
  });

  it('a failed statement is thrown again even on the last attempt: it aborted the transaction the event would commit in', async () => {
    const err = new QueryFailedError('INSERT INTO x', [], new Error('duplicate key value'));
    await expect(run(() => Promise.reject(err), { last: true })).rejects.toBe(err);
  });

  it('a hook is used only when the failure is reported', async () => {
    let called = false;
    const err = new TransientError('later');
    await expect(
      run((_, c) => {
        c.onFailure(() => void (called = true));
        throw err;
      }),
    ).rejects.toBe(err);
    expect(called).toBe(false);
  });

  it('a reason is never empty nor longer than the contracts take', async () => {
    const vacio = await run(() => Promise.reject(new PermanentError('  ')));
    expect(published(vacio)[0]!.payload.motivo).toBe('unknown error');
    const largo = await run(() => Promise.reject(new PermanentError('x'.repeat(5000))));
    expect(published(largo)[0]!.payload.motivo).toHaveLength(2000);
  });
});

describe('reportingFailures (own transactions)', () => {
  function ownContext(last = false) {
    const commits: { outgoing: string[]; wrote: unknown[] }[] = [];
    const tx: OwnTransactions = {
      transaction: (work) => work(manager),
      commit: async (outgoing, work) => {
        const wrote: unknown[] = [];
        const out = await work({ wrote } as unknown as EntityManager);
        commits.push({ outgoing: outgoing.map((o) => o.routingKey), wrote });
        return out;
      },
    };
    return { ctx: new OwnTransactionContext(envelope(), last ? 4 : 1, last, tx), commits };
  }

  it('a reported failure commits its event with the writes the handler added, in the last commit', async () => {
    const { ctx, commits } = ownContext();
    const wrapped = reportingFailures(
      async (_, c) => {
        c.onFailure(() => ({ write: async (m) => (m as unknown as { wrote: string[] }).wrote.push('row failed') }));
        throw new PermanentError('licence refused');
      },
      report,
      log,
    );
    await wrapped({ id: 'a1' }, ctx);
    expect(ctx.committed).toBe(true);
    expect(commits).toEqual([{ outgoing: ['prueba.fallido.v1'], wrote: ['row failed'] }]);
  });

  it('a failure after the last commit is thrown again (the message is applied already)', async () => {
    const { ctx, commits } = ownContext(true);
    const err = new Error('after the commit');
    const wrapped = reportingFailures(
      async (_, c) => {
        await (c as OwnTransactionContext).commit();
        throw err;
      },
      report,
      log,
    );
    await expect(wrapped({ id: 'a1' }, ctx)).rejects.toBe(err);
    expect(commits).toHaveLength(1);
  });
});
