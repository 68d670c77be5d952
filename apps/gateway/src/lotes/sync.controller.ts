import { Body, Controller, HttpCode, Post, Query } from '@nestjs/common';
import { ApiAcceptedResponse, ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { z } from 'zod';
import { FUENTES_SIAL } from '@lucy/contracts';
import { BEARER } from '../api/docs.setup.js';
import { Actor } from '../auth/actor.decorator.js';
import { RequiresRole } from '../auth/roles.js';
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

/** `?simular=true`: a dry run (the answer's lote shows the plan; nothing is registered or sent). */
export const Simulacion = z
  .object({
    simular: z
      .stringbool({ error: 'simular es true o false' })
      .optional()
      .describe(
        'true: only the plan — what the lote would do per student, with counts — kept in the lote (estado simulado) until POST /lotes/{id}/confirmar or /descartar; nothing else changes anywhere',
      ),
  })
  .strict();

@ApiTags('lotes')
@ApiBearerAuth(BEARER)
@Controller('api/v1/sync')
export class SyncController {
  constructor(private readonly lotes: LoteService) {}

  @Post('sial')
  @RequiresRole('operator')
  @HttpCode(202)
  @ApiOperation({
    summary:
      'Start a pull from SIAL; the answer is the lote to follow (recorded as a tarea). With ?simular=true, only its plan: see the lote (simulado) and its /plan, then confirm or drop it',
    description:
      'A pull whose plan would suspend more students than umbralBajas allows does not act: the lote waits (esperando_aprobacion) with its plan and the reason until POST /lotes/{id}/aprobar or /descartar.',
  })
  @ApiAcceptedResponse({
    standardSchema: z.object({
      loteId: z.uuid(),
      estado: z.string(),
      simulacion: z.boolean(),
      fuentes: z.array(z.string()),
      links: z.object({ lote: z.string(), plan: z.string().optional() }),
    }),
  })
  async sial(
    @Query({ schema: Simulacion }) q: z.infer<typeof Simulacion>,
    @Body({ schema: SyncBody }) body: z.infer<typeof SyncBody>,
    @Actor() actor: string,
  ) {
    const simular = q.simular ?? false;
    const { loteId } = await this.lotes.sincronizarSial(body.fuentes, actor, body.periodo, { simular });
    return {
      loteId,
      estado: 'solicitado',
      simulacion: simular,
      fuentes: body.fuentes,
      links: { lote: `/api/v1/lotes/${loteId}`, ...(simular ? { plan: `/api/v1/lotes/${loteId}/plan` } : {}) },
    };
  }
}
