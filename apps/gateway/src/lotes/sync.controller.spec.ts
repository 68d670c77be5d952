import { ConflictException } from '@nestjs/common';
import type { LoteService } from './lote.service.js';
import { ONEROSTER_NO_CONFIGURADO, SyncController } from './sync.controller.js';

describe('SyncController: oneroster', () => {
  it('answers 409, saying what is missing, when the OneRoster source is not configured, and sends nothing', async () => {
    const llamadas: unknown[] = [];
    const sincronizarOneRoster = (...args: unknown[]) => llamadas.push(args);
    const c = new SyncController({ sincronizarOneRoster } as unknown as LoteService, { ONEROSTER_URL: undefined });
    const e = await c.oneroster({}, 'operadora').catch((x: unknown) => x);
    expect(e).toBeInstanceOf(ConflictException);
    expect((e as Error).message).toBe(ONEROSTER_NO_CONFIGURADO);
    expect(llamadas).toEqual([]);
  });
});
