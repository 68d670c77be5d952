import { Body, Controller, HttpCode, Post } from '@nestjs/common';
import { z } from 'zod';
import { FUENTES_SIAL } from '@lucy/contracts';
import { LoteService } from '../lotes/lote.service.js';
import { parse } from './problem.js';

const SyncBody = z
  .object({
    fuentes: z.array(z.enum(FUENTES_SIAL)).min(1).default([...FUENTES_SIAL]),
    periodo: z.string().min(1).max(20).optional(),
  })
  .strict();

@Controller('api/v1/sync')
export class SyncController {
  constructor(private readonly lotes: LoteService) {}

  /** Starts a pull from SIAL; the answer is the lote to follow. */
  @Post('sial')
  @HttpCode(202)
  async sial(@Body() body: unknown) {
    const { fuentes, periodo } = parse(SyncBody, body ?? {}, 'cuerpo');
    const { loteId } = await this.lotes.sincronizarSial(fuentes, 'api', periodo);
    return { loteId, estado: 'solicitado', fuentes, links: { lote: `/api/v1/lotes/${loteId}` } };
  }
}
