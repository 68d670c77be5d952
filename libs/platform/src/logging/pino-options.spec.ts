import { Writable } from 'node:stream';
import { runWithCorrelation } from '../context/correlation.js';
import { createLogger } from './create-logger.js';

function capture() {
  const lines: Record<string, unknown>[] = [];
  const raw: string[] = [];
  const destination = new Writable({
    write(chunk, _enc, done) {
      for (const line of String(chunk).split('\n').filter(Boolean)) {
        raw.push(line);
        lines.push(JSON.parse(line));
      }
      done();
    },
  });
  return { lines, raw, destination };
}

describe('createLogger', () => {
  it('writes JSON lines with the service, a word for the level and an ISO time', () => {
    const { lines, destination } = capture();
    createLogger('ingest-service', { destination }).info({ lote: 7 }, 'batch accepted');
    expect(lines[0]).toMatchObject({ level: 'info', service: 'ingest-service', lote: 7, msg: 'batch accepted' });
    expect(String(lines[0].time)).toMatch(/^\d{4}-\d\d-\d\dT/);
  });

  it('adds the correlation of the message being handled to each line, and nothing outside one', async () => {
    const { lines, destination } = capture();
    const log = createLogger('teams-service', { destination });
    log.info('before');
    await runWithCorrelation({ correlationId: 'wf-1', causationId: 'msg-0', messageId: 'msg-1' }, async () => {
      await new Promise((r) => setTimeout(r, 1));
      log.info('inside');
    });
    await runWithCorrelation({ correlationId: 'wf-2' }, async () => log.child({ handler: 'x' }).warn('child'));
    expect(lines[0]).not.toHaveProperty('correlationId');
    expect(lines[1]).toMatchObject({ msg: 'inside', correlationId: 'wf-1', causationId: 'msg-0', messageId: 'msg-1' });
    expect(lines[2]).toMatchObject({ msg: 'child', correlationId: 'wf-2', handler: 'x' });
    expect(lines[2]).not.toHaveProperty('causationId');
  });

  it('never writes a password, credential, secret or token, however deep', () => {
    const { lines, raw, destination } = capture();
    const log = createLogger('mail-service', { destination });
    log.info({ password: 'P4ss-top' }, 'top');
    log.info({ user: { upn: 'a@b.c', passwordProfile: { password: 'P4ss-nested' } } }, 'nested');
    log.info({ evento: { payload: { credencial: 'P4ss-cred' } } }, 'event');
    log.info({ graph: { token: 'tok-1', secret: 'sec-1', clientSecret: 'cs-1' } }, 'graph');
    log.info({ req: { headers: { authorization: 'Bearer abc' } } }, 'request');
    const all = raw.join('\n');
    for (const secret of ['P4ss-top', 'P4ss-nested', 'P4ss-cred', 'tok-1', 'sec-1', 'cs-1', 'Bearer abc']) {
      expect(all).not.toContain(secret);
    }
    expect(lines[1]).toMatchObject({ user: { upn: 'a@b.c', passwordProfile: { password: '[REDACTED]' } } });
    expect(lines[2]).toMatchObject({ evento: { payload: { credencial: '[REDACTED]' } } });
  });

  it('honours the level', () => {
    const { lines, destination } = capture();
    const log = createLogger('x', { destination, level: 'warn' });
    log.info('hidden');
    log.warn('shown');
    expect(lines.map((l) => l.msg)).toEqual(['shown']);
  });
});
