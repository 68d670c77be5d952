import { Controller, Get, HttpCode, Param, Post } from '@nestjs/common';
import { WorkflowQueries } from '../workflows/workflow.queries.js';
import { WorkflowService } from '../workflows/workflow.service.js';
import { Id } from './lotes.controller.js';
import { parse } from './problem.js';

@Controller('api/v1/alumnos')
export class AlumnosController {
  constructor(
    private readonly queries: WorkflowQueries,
    private readonly workflows: WorkflowService,
  ) {}

  /** One student: their workflow, every step, and the audit trail. */
  @Get(':id')
  uno(@Param('id') id: string) {
    return this.queries.alumno(parse(Id, id, 'id'));
  }

  /** Undo everything Lucy did for the student, in reverse order. */
  @Post(':id/desaprovisionar')
  @HttpCode(202)
  desaprovisionar(@Param('id') id: string) {
    return this.workflows.desaprovisionar(parse(Id, id, 'id'), 'api');
  }

  @Post(':id/enrolar-moodle')
  @HttpCode(202)
  enrolarMoodle(@Param('id') id: string) {
    return this.workflows.enrolarMoodle(parse(Id, id, 'id'), 'api');
  }

  @Post(':id/restablecer-password')
  @HttpCode(202)
  restablecerPassword(@Param('id') id: string) {
    return this.workflows.restablecerPassword(parse(Id, id, 'id'), 'api');
  }
}
