import { Writable } from 'node:stream';
import { Body, Controller, Get, Logger, Module, Post } from '@nestjs/common';
import type { INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { Logger as PinoNestLogger } from 'nestjs-pino';
import { currentCorrelation } from '../context/correlation.js';
import { LoggingModule } from './logging.module.js';

const lines: Record<string, unknown>[] = [];
const destination = new Writable({
  write(chunk, _enc, done) {
    for (const line of String(chunk).split('\n').filter(Boolean)) lines.push(JSON.parse(line));
    done();
  },
});

@Controller()
class ProbeController {
  private readonly logger = new Logger('ProbeController');

  @Get('work')
  async work() {
    await new Promise((r) => setTimeout(r, 2));
    this.logger.log('working');
    return { seen: currentCorrelation()?.correlationId };
  }

  @Post('login')
  login(@Body() body: { user: string; password: string }) {
    this.logger.log({ body }, 'login attempt');
    return { ok: true };
  }

  @Get('health/live')
  live() {
    return { status: 'ok' };
  }
}

@Module({ imports: [LoggingModule.forService('probe', 'info', { destination })], controllers: [ProbeController] })
class ProbeModule {}

describe('LoggingModule over HTTP', () => {
  let app: INestApplication;
  let url: string;

  beforeAll(async () => {
    app = await NestFactory.create(ProbeModule, { bufferLogs: true });
    app.useLogger(app.get(PinoNestLogger));
    await app.listen(0, '127.0.0.1');
    url = await app.getUrl();
  });
  afterAll(() => app.close());
  beforeEach(() => lines.splice(0));

  it('takes the caller’s x-correlation-id, runs the request in it, logs it and echoes it', async () => {
    const res = await fetch(`${url}/work`, { headers: { 'x-correlation-id': 'wf-42' } });
    expect(res.headers.get('x-correlation-id')).toBe('wf-42');
    expect(await res.json()).toEqual({ seen: 'wf-42' });
    await waitFor(() => lines.some((l) => l.msg === 'request completed'));
    expect(lines.find((l) => l.msg === 'working')).toMatchObject({ service: 'probe', correlationId: 'wf-42' });
    expect(lines.find((l) => l.msg === 'request completed')).toMatchObject({
      correlationId: 'wf-42',
      res: { statusCode: 200 },
    });
  });

  it('makes up a correlation id when the caller sends none (or a suspicious one)', async () => {
    const res = await fetch(`${url}/work`, { headers: { 'x-correlation-id': 'bad id\twith tabs' } });
    const id = res.headers.get('x-correlation-id');
    expect(id).toMatch(/^[0-9a-f-]{36}$/);
    expect(await res.json()).toEqual({ seen: id });
  });

  it('does not log health probes', async () => {
    await fetch(`${url}/health/live`);
    await fetch(`${url}/work`);
    await waitFor(() => lines.some((l) => l.msg === 'request completed'));
    expect(lines.filter((l) => String((l.req as { url?: string })?.url).startsWith('/health'))).toEqual([]);
  });

  it('redacts a password in a logged request body', async () => {
    await fetch(`${url}/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: 'Bearer t0k' },
      body: JSON.stringify({ user: 'ana', password: 'Temp-123!' }),
    });
    await waitFor(() => lines.some((l) => l.msg === 'login attempt'));
    expect(JSON.stringify(lines)).not.toContain('Temp-123!');
    expect(JSON.stringify(lines)).not.toContain('t0k');
  });
});

async function waitFor(condition: () => boolean, ms = 2000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`condition not met within ${ms}ms: ${JSON.stringify(lines)}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}
