import { Controller, Get, HttpCode, Param, Post } from '@nestjs/common';
import { z } from 'zod';
import { LoteService } from '../lotes/lote.service.js';
import { WorkflowQueries } from '../workflows/workflow.queries.js';
import { WorkflowService } from '../workflows/workflow.service.js';
import { parse } from './problem.js';

export const Id = z.uuid({ error: 'debe ser un UUID' });

@Controller('api/v1/lotes')
export class LotesController {
  constructor(
    private readonly lotes: LoteService,
    private readonly queries: WorkflowQueries,
    private readonly workflows: WorkflowService,
  ) {}

  @Get(':id')
  progreso(@Param('id') id: string) {
    return this.lotes.progreso(parse(Id, id, 'id'));
  }

  /** Retries what failed in the lote: Moodle enrolments again, credentials re-issued where email failed. */
  @Post(':id/reintentar')
  @HttpCode(202)
  async reintentar(@Param('id') id: string) {
    const loteId = parse(Id, id, 'id');
    await this.lotes.progreso(loteId); // 404 for an unknown lote
    const pendientes = await this.queries.conAvisos(loteId);
    const iniciados = [];
    for (const p of pendientes) {
      if (p.moodle) iniciados.push({ alumnoId: p.alumnoId, accion: 'enrolar-moodle', ...(await this.workflows.enrolarMoodle(p.alumnoId, 'api')) });
      if (p.email) iniciados.push({ alumnoId: p.alumnoId, accion: 'restablecer-password', ...(await this.workflows.restablecerPassword(p.alumnoId, 'api')) });
    }
    return { loteId, reintentos: iniciados.length, iniciados };
  }
}
