import { Body, Controller, HttpCode, Post } from '@nestjs/common';
import { ApiAcceptedResponse, ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { z } from 'zod';
import { FUENTES_SIAL } from '@lucy/contracts';
import { BEARER } from '../api/docs.setup.js';
import { Actor } from '../auth/actor.decorator.js';
import { Requiere } from '../auth/roles.js';
import { LoteService } from './lote.service.js';

const SyncBody = z
  .object({
    fuentes: z
      .array(z.enum(FUENTES_SIAL))
      .min(1)
      .max(3)
      .default([...FUENTES_SIAL]),
    periodo: z.string().min(1).max(20).optional(),
  })
  .strict();

@ApiTags('lotes')
@ApiBearerAuth(BEARER)
@Controller('api/v1/sync')
export class SyncController {
  constructor(private readonly lotes: LoteService) {}

  @Post('sial')
  @Requiere('operator')
  @HttpCode(202)
  @ApiOperation({ summary: 'Start a pull from SIAL; the answer is the lote to follow (recorded as a tarea)' })
  @ApiAcceptedResponse({
    standardSchema: z.object({
      loteId: z.uuid(),
      estado: z.string(),
      fuentes: z.array(z.string()),
      links: z.object({ lote: z.string() }),
    }),
  })
  async sial(@Body({ schema: SyncBody }) body: z.infer<typeof SyncBody>, @Actor() actor: string) {
    const { loteId } = await this.lotes.sincronizarSial(body.fuentes, actor, body.periodo);
    return { loteId, estado: 'solicitado', fuentes: body.fuentes, links: { lote: `/api/v1/lotes/${loteId}` } };
  }
}
