import { Body, ConflictException, Controller, HttpCode, Post, Query } from '@nestjs/common';
import { ApiAcceptedResponse, ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { z } from 'zod';
import { FUENTES_SIAL } from '@lucy/contracts';
import { InjectConfig } from '@lucy/platform';
import { BEARER } from '../api/docs.setup.js';
import { Actor } from '../auth/actor.decorator.js';
import { RequiresRole } from '../auth/roles.js';
import type { GatewayConfig } from '../config.js';
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

const SimulacionOneRoster = Simulacion.extend({
  completa: z
    .stringbool({ error: 'completa es true o false' })
    .optional()
    .describe(
      'true: read everything (no filter) as a complete list, where a student missing from it counts an absence; otherwise only what changed since the last pull applied (everything on the first)',
    ),
}).strict();

/** The source is not configured: a pull could only fail. */
export const ONEROSTER_NO_CONFIGURADO =
  'la fuente OneRoster no está configurada: falta ONEROSTER_URL (con las credenciales en ingest-service)';

@ApiTags('lotes')
@ApiBearerAuth(BEARER)
@Controller('api/v1/sync')
export class SyncController {
  constructor(
    private readonly lotes: LoteService,
    @InjectConfig() private readonly config: Pick<GatewayConfig, 'ONEROSTER_URL'>,
  ) {}

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

  @Post('oneroster')
  @RequiresRole('operator')
  @HttpCode(202)
  @ApiOperation({
    summary:
      'Start a pull from the OneRoster server: what changed since the last pull applied, or everything with ?completa=true; the answer is the lote to follow. With ?simular=true, only its plan',
    description:
      'A pull of changes counts no absences (a student leaves when the server says so); a full pull is a complete list, like a SIAL list read whole. 409 when the source is not configured.',
  })
  @ApiAcceptedResponse({
    standardSchema: z.object({
      loteId: z.uuid(),
      estado: z.string(),
      simulacion: z.boolean(),
      completa: z.boolean(),
      links: z.object({ lote: z.string(), plan: z.string().optional() }),
    }),
  })
  async oneroster(
    @Query({ schema: SimulacionOneRoster }) q: z.infer<typeof SimulacionOneRoster>,
    @Actor() actor: string,
  ) {
    if (!this.config.ONEROSTER_URL) throw new ConflictException(ONEROSTER_NO_CONFIGURADO);
    const simular = q.simular ?? false;
    const completa = q.completa ?? false;
    const { loteId } = await this.lotes.sincronizarOneRoster(completa, actor, { simular });
    return {
      loteId,
      estado: 'solicitado',
      simulacion: simular,
      completa,
      links: { lote: `/api/v1/lotes/${loteId}`, ...(simular ? { plan: `/api/v1/lotes/${loteId}/plan` } : {}) },
    };
  }
}
