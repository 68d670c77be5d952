import { Body, Controller, Get, HttpCode, NotFoundException, Param, Post, Query } from '@nestjs/common';
import { ApiAcceptedResponse, ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { z } from 'zod';
import { BEARER } from '../api/docs.setup.js';
import { Id, pageOf, Pagination } from '../api/schemas.js';
import { ACCIONES, AccionesService, type Accion } from '../acciones/acciones.service.js';
import { ResultadoSchema } from '../acciones/acciones.schemas.js';
import { Actor } from '../auth/actor.decorator.js';
import { RequiresRole } from '../auth/roles.js';
import { CicloService } from '../ciclo/ciclo.service.js';
import { WorkflowQueries } from '../workflows/workflow.queries.js';
import { AlumnoFiltro } from './alumno-filtro.js';
import { AlumnosQueries } from './alumnos.queries.js';
import { AprobacionService } from './aprobacion.service.js';

const Listado = AlumnoFiltro.extend(Pagination).strict();

/** An operator's courses for one student: Moodle shortnames, each once. */
const Inscripciones = z
  .object({
    cursos: z
      .array(z.string().trim().min(1).max(255))
      .min(1, { error: 'indicá al menos un curso' })
      .max(50)
      .refine((c) => new Set(c).size === c.length, 'un curso aparece más de una vez'),
  })
  .strict();

const AlumnoResumen = z.object({
  alumnoId: z.uuid(),
  dni: z.string().nullable(),
  nombre: z.string().nullable(),
  apellido: z.string().nullable(),
  emailPersonal: z.string().nullable(),
  emailInstitucional: z.string().nullable(),
  carrera: z.string().nullable(),
  estado: z.string().nullable(),
  periodo: z.string().nullable(),
  upn: z.string().nullable(),
  loteId: z.uuid().nullable(),
  workflow: z.object({
    estado: z.string(),
    atascado: z.boolean(),
    avisos: z.array(z.string()),
    error: z.string().nullable(),
  }),
  creadoAt: z.string(),
  actualizadoAt: z.string(),
});

const AlumnoDetalle = z.object({
  alumnoId: z.uuid(),
  alumno: z.record(z.string(), z.unknown()).nullable(),
  cuentas: z.object({
    upn: z.string().nullable(),
    graphUserId: z.string().nullable(),
    moodleUserId: z.number().nullable(),
    cursos: z.array(z.string()),
  }),
  lotes: z.array(z.uuid()),
  /** What an operator may run on the student (POST …/acciones/{accion}), with how the dashboard labels it. */
  acciones: z.array(z.object({ accion: z.string(), etiqueta: z.string() })),
  workflow: z
    .object({
      id: z.uuid(),
      estado: z.string(),
      pasos: z.array(
        z
          .object({
            paso: z.string(),
            etiqueta: z.string(),
            critico: z.boolean(),
            deshace: z.string().nullable(),
            estado: z.string(),
          })
          .loose(),
      ),
    })
    .loose(),
  auditoria: z.array(z.object({ at: z.string(), evento: z.string(), actor: z.string(), detalle: z.unknown() }).loose()),
  /** The student's stay after onboarding: every lifecycle workflow (updates, a leave, a return, courses), oldest first. */
  ciclo: z.array(
    z
      .object({
        id: z.uuid(),
        tipo: z.string(),
        etiqueta: z.string(),
        estado: z.string(),
        motivo: z.string().nullable(),
        venceAt: z.string().nullable(),
        pasos: z.array(z.object({ paso: z.string(), etiqueta: z.string(), estado: z.string() }).loose()),
      })
      .loose(),
  ),
});

@ApiTags('alumnos')
@ApiBearerAuth(BEARER)
@Controller('api/v1/alumnos')
export class AlumnosController {
  constructor(
    private readonly lista: AlumnosQueries,
    private readonly queries: WorkflowQueries,
    private readonly acciones: AccionesService,
    private readonly ciclo: CicloService,
    private readonly aprobaciones: AprobacionService,
  ) {}

  @Get()
  @ApiOperation({ summary: 'Students, newest first, filtered; `total` counts all that match' })
  @ApiOkResponse({ standardSchema: pageOf(AlumnoResumen) })
  listar(@Query({ schema: Listado }) q: z.infer<typeof Listado>) {
    const { limit, offset, ...filtro } = q;
    return this.lista.listar(filtro, limit, offset);
  }

  @Get(':id')
  @ApiOperation({
    summary:
      'One student: their data, accounts, workflow with every step, and the audit trail (a student waiting for approval: workflow.estado pendiente_aprobacion, no steps)',
  })
  @ApiOkResponse({ standardSchema: AlumnoDetalle })
  async uno(@Param('id', { schema: Id }) id: string) {
    try {
      return await this.queries.alumno(id);
    } catch (err) {
      if (!(err instanceof NotFoundException)) throw err;
      return (await this.aprobaciones.detalle(id)) ?? Promise.reject(err);
    }
  }

  /** One route per action, so each is documented and permissioned on its own. */
  @Post(':id/acciones/:accion')
  @RequiresRole('operator')
  @HttpCode(202)
  @ApiOperation({ summary: `Run an action on one student: ${ACCIONES.join(', ')}. 409 says why it cannot run now` })
  @ApiAcceptedResponse({ standardSchema: ResultadoSchema })
  accion(
    @Param('id', { schema: Id }) id: string,
    @Param('accion', { schema: z.enum(ACCIONES, { error: `la acción debe ser una de ${ACCIONES.join(', ')}` }) })
    accion: Accion,
    @Actor() actor: string,
  ) {
    return this.acciones.una(accion, id, actor);
  }

  @Post(':id/inscripciones')
  @RequiresRole('operator')
  @HttpCode(202)
  @ApiOperation({
    summary:
      'Enrol the student in these Moodle courses, all or none: if one cannot be enrolled, none stays (an inscripcion workflow)',
  })
  @ApiAcceptedResponse({ standardSchema: ResultadoSchema.extend({ accion: z.literal('inscribir') }) })
  async inscribir(
    @Param('id', { schema: Id }) id: string,
    @Body({ schema: Inscripciones }) body: z.infer<typeof Inscripciones>,
    @Actor() actor: string,
  ) {
    return {
      alumnoId: id,
      accion: 'inscribir',
      iniciado: true,
      ...(await this.ciclo.inscribir(id, actor, body.cursos)),
    };
  }

  // The first API's routes, kept for their callers.
  @Post(':id/desaprovisionar')
  @RequiresRole('operator')
  @HttpCode(202)
  @ApiOperation({ summary: 'Undo everything Lucy did for the student, in reverse order (= acciones/desaprovisionar)' })
  desaprovisionar(@Param('id', { schema: Id }) id: string, @Actor() actor: string) {
    return this.acciones.una('desaprovisionar', id, actor);
  }

  @Post(':id/enrolar-moodle')
  @RequiresRole('operator')
  @HttpCode(202)
  @ApiOperation({ summary: 'Enrol in Moodle again (= acciones/enrolar-moodle)' })
  enrolarMoodle(@Param('id', { schema: Id }) id: string, @Actor() actor: string) {
    return this.acciones.una('enrolar-moodle', id, actor);
  }

  @Post(':id/restablecer-password')
  @RequiresRole('operator')
  @HttpCode(202)
  @ApiOperation({ summary: 'A new temporary password, emailed (= acciones/restablecer-password)' })
  restablecerPassword(@Param('id', { schema: Id }) id: string, @Actor() actor: string) {
    return this.acciones.una('restablecer-password', id, actor);
  }
}
