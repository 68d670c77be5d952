import { Body, Controller, Get, HttpCode, Post } from '@nestjs/common';
import { ApiAcceptedResponse, ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { z } from 'zod';
import { InjectConfig, invalidInput } from '@lucy/platform';
import type { GatewayConfig } from '../config.js';
import { BEARER } from '../api/docs.setup.js';
import { AlumnosQueries } from '../alumnos/alumnos.queries.js';
import { Actor } from '../auth/actor.decorator.js';
import { RequiresRole } from '../auth/roles.js';
import { AccionMasiva, EjecucionSchema } from './acciones.schemas.js';
import { AccionesService, CATALOGO_ACCIONES } from './acciones.service.js';

@ApiTags('acciones')
@ApiBearerAuth(BEARER)
@Controller('api/v1/acciones')
export class AccionesController {
  constructor(
    @InjectConfig() private readonly config: GatewayConfig,
    private readonly acciones: AccionesService,
    private readonly alumnos: AlumnosQueries,
  ) {}

  @Get()
  @ApiOperation({ summary: 'The actions an operator may run on students, with how the dashboard labels them' })
  @ApiOkResponse({ standardSchema: z.array(z.object({ accion: z.string(), etiqueta: z.string() })) })
  catalogo() {
    return CATALOGO_ACCIONES;
  }

  @Post()
  @RequiresRole('operator')
  @HttpCode(202)
  @ApiOperation({
    summary: 'Run an action on a selection of students (ids or a filter); recorded as a tarea',
    description:
      'activar: run the onboarding again for a student whose workflow failed or was undone. reenviar-credenciales / restablecer-password: a new temporary password, emailed. enrolar-moodle: enrol again. desaprovisionar: undo the account and enrolments. suspender: the student leaves (account disabled, Moodle suspended; deleted after the grace). reactivar: a suspended student comes back, or a deleted one is restored. reintentar-ciclo: the student’s lifecycle workflows waiting for answers (one flagged stuck, say) send their unanswered steps again. aprobar: onboard a new student who waits for approval (aprobacionNuevos; select them with filtro.workflow pendiente_aprobacion). Students an action cannot apply to are listed as rejected with the reason; the others start.',
  })
  @ApiAcceptedResponse({ standardSchema: EjecucionSchema })
  async ejecutar(@Body({ schema: AccionMasiva }) body: AccionMasiva, @Actor() actor: string) {
    const max = this.config.ACCION_MAX_ALUMNOS;
    const ids = body.alumnoIds ? [...new Set(body.alumnoIds)] : await this.alumnos.ids(body.filtro!, max);
    const campo = body.alumnoIds ? 'alumnoIds' : 'filtro';
    if (ids.length > max)
      throw invalidInput('cuerpo', [
        { campo, mensaje: `la selección tiene más de ${max} alumnos: acotá el filtro o dividila` },
      ]);
    if (!ids.length) throw invalidInput('cuerpo', [{ campo, mensaje: 'el filtro no selecciona ningún alumno' }]);
    return this.acciones.varias(
      ids.map((alumnoId) => ({ alumnoId, accion: body.accion })),
      actor,
      { tipo: 'accion', detalle: { accion: body.accion, motivo: body.motivo, filtro: body.filtro } },
    );
  }
}
