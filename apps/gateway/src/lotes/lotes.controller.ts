import {
  BadRequestException,
  Body,
  Controller,
  Get,
  HttpCode,
  Param,
  Post,
  Query,
  Req,
  UnsupportedMediaTypeException,
  UploadedFile,
  UseInterceptors,
} from '@nestjs/common';
import { FileInterceptor } from '@nestjs/platform-express';
import { ApiAcceptedResponse, ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Request } from 'express';
import { z } from 'zod';
import { InjectConfig, invalidInput } from '@lucy/platform';
import type { GatewayConfig } from '../config.js';
import { BEARER } from '../api/docs.setup.js';
import { parse } from '../api/problem.js';
import { Id, pageOf, Pagination, DateRange, UserText } from '../api/schemas.js';
import { EjecucionSchema } from '../acciones/acciones.schemas.js';
import { AccionesService, type Accion } from '../acciones/acciones.service.js';
import { Actor } from '../auth/actor.decorator.js';
import { RequiresRole } from '../auth/roles.js';
import { accionDeReintento } from '../sagas/onboarding.saga.js';
import { IdempotencyAfterUpload } from '../idempotency/idempotency.interceptor.js';
import { WorkflowQueries } from '../workflows/workflow.queries.js';
import { ArchivoInvalido, filasDelArchivo, leerJson, Mapeo, validarCantidad } from './lote-archivo.js';
import { esZip, leerOneRoster } from './oneroster-archivo.js';
import { LoteService } from './lote.service.js';
import { LotesQueries } from './lotes.queries.js';
import { ACCIONES_PLAN } from './plan-vista.js';
import { PlanService, type Resolucion } from './plan.service.js';
import { Simulacion } from './sync.controller.js';

const ESTADOS_LOTE = [
  'solicitado',
  'simulado',
  'esperando_aprobacion',
  'descartado',
  'ingestado',
  'terminado',
  'fallido',
] as const;

const Retencion = z
  .object({
    motivo: z.string(),
    bajas: z.number().int(),
    activos: z.number().int(),
    umbral: z.object({ porcentaje: z.number(), cantidad: z.number().int() }),
  })
  .describe('why the lote waits: it would suspend more students than umbralBajas allows');

const PlanResumen = z
  .object({
    simulado: z.boolean().describe('a dry run; false: a real run the safeguard held'),
    retencion: Retencion.nullable(),
    activos: z.number().int().describe('active students in the registry when the plan was made'),
    acciones: z.object({
      crear: z.number().int(),
      actualizar: z.number().int(),
      suspender: z.number().int(),
      retornar: z.number().int(),
      ninguna: z.number().int(),
      invalidas: z.number().int(),
      bajasDesconocidas: z.number().int(),
      enEspera: z.number().int().describe('new students who will wait for approval (aprobacionNuevos)'),
    }),
    items: z.number().int(),
    recibidos: z.number().int().describe('items arrived so far (the plan comes in parts): it is confirmed whole'),
    completo: z.boolean(),
    resolucion: z.object({ accion: z.string(), por: z.string(), at: z.string() }).nullable(),
    links: z.object({ plan: z.string() }),
  })
  .nullable()
  .describe(
    'the plan ingest-service answered with instead of acting (a dry run, or held by the safeguard); null otherwise',
  );

const Progreso = z.object({
  id: z.uuid(),
  origen: z.enum(['sial', 'upload', 'oneroster']),
  estado: z
    .enum(ESTADOS_LOTE)
    .describe(
      'simulado: a dry run, its plan waiting to be confirmed or dropped; esperando_aprobacion: held by the safeguard; descartado: its plan dropped',
    ),
  nombreArchivo: z.string().nullable(),
  solicitadoPor: z.string(),
  creadoAt: z.string(),
  ingestadoAt: z.string().nullable(),
  error: z.string().nullable(),
  total: z.number().int(),
  completados: z.number().int(),
  conAvisos: z.number().int(),
  fallidos: z.number().int(),
  enCurso: z.number().int(),
  pendientes: z.number().int(),
  porcentaje: z.number(),
  desglose: z.record(z.string(), z.number()),
  esperanAprobacion: z.number().int().describe('students waiting for an operator’s approval before their onboarding'),
  simulacion: z.boolean(),
  plan: PlanResumen,
  ingesta: z.object({
    nuevos: z.number().nullable(),
    actualizados: z.number().nullable(),
    sinCambios: z.number().nullable(),
    invalidos: z.array(z.unknown()),
    bajas: z.number().nullable().describe('students taken as leaving (marked baja or egresado, or absent from SIAL)'),
    retornos: z.number().nullable().describe('students who had left and are listed as active again'),
    bajasDesconocidas: z
      .array(z.unknown())
      .describe('rows of students never registered, marked leaving: not onboarded'),
    avisos: z
      .array(z.unknown())
      .describe(
        'what the rows stated that was not acted on, no row made invalid (a OneRoster class with no Moodle course)',
      ),
  }),
});

const Listado = z
  .object({
    estado: z
      .enum(ESTADOS_LOTE)
      .optional()
      .describe(
        'ingestado: students still in progress; terminado: every student settled (or none to onboard); simulado / esperando_aprobacion: a plan waits for an operator',
      ),
    origen: z.enum(['sial', 'upload', 'oneroster']).optional(),
    solicitadoPor: z.string().max(100).optional(),
    q: z.string().trim().min(1).max(200).optional().describe("text in the file's name"),
    ...DateRange,
    ...Pagination,
  })
  .strict();

/** GET /lotes/{id}/plan: which items. */
const PlanListado = z
  .object({
    accion: z.enum(ACCIONES_PLAN).optional().describe('only the items of this action'),
    q: z.string().trim().min(1).max(200).optional().describe('text in the DNI, name or surname'),
    ...Pagination,
  })
  .strict();

const ItemPlanDoc = z.object({
  orden: z.number().int(),
  accion: z.enum(ACCIONES_PLAN),
  fila: z.number().int().nullable().describe('the row in its source; null for a student absent from SIAL'),
  fuente: z.string(),
  dni: z.string().nullable(),
  alumnoId: z.uuid().nullable(),
  nombre: z.string().nullable(),
  apellido: z.string().nullable(),
  cambios: z.array(z.object({ campo: z.string(), antes: z.unknown(), despues: z.unknown() })),
  motivo: z.string().nullable().describe('a suspension’s reason: baja, egresado, ausente'),
  motivos: z.array(z.string()).describe('an invalid row’s reasons'),
  enEspera: z.boolean(),
  cursos: z
    .object({
      estado: z.string(),
      periodo: z.string(),
      inscribir: z.array(z.string()).nullable(),
      desinscribir: z.array(z.string()).nullable(),
      deLaFuente: z.array(z.string()),
      nota: z.string(),
    })
    .nullable()
    .describe(
      'the Moodle courses it enrols (and unenrols): named from the configuration when an operator set cursos (and cursosAnteriores); null lists when they are moodle-service’s own',
    ),
  efectos: z.array(z.string()),
});

/** Why an operator confirms, approves or drops a plan, for the audit trail. */
const CuerpoResolucion = z.object({ motivo: z.string().trim().min(1).max(500).optional() }).strict();
const ResolucionRespuesta = z.object({
  loteId: z.uuid(),
  estado: z.enum(['solicitado', 'descartado']),
  resolucion: z.enum(['confirmado', 'aprobado', 'descartado']),
  por: z.string(),
  links: z.object({ lote: z.string() }),
});

/** A form field or file name: busboy turns bytes that are not UTF-8 into U+FFFD, which is how they are seen here. */
const Campo = UserText.refine((t) => !t.includes('\ufffd'), { error: 'tiene bytes que no son UTF-8' });

/** The multipart form (its text fields; the file is `archivo`). */
const Formulario = z
  .object({
    mapeo: Campo.max(10_000)
      .optional()
      .describe('JSON: campo → columna del archivo, p. ej. {"dni":"Documento","nombre":"Nombres"}'),
    nombreArchivo: Campo.min(1).max(300).optional(),
  })
  .strict();

/** Rows sent as JSON (application/json) instead of a file. */
const CuerpoJson = z
  .object({
    nombreArchivo: z.string().min(1).max(300).nullable().default(null),
    filas: z
      .array(z.unknown())
      .min(1)
      .describe('rows as {columna: valor} objects (text, number or null), as a CSV would give them'),
  })
  .strict();

/** The two ways to send a lote, each with its own schema in the OpenAPI document. */
const CargaDoc = {
  required: true,
  content: {
    'multipart/form-data': {
      schema: z.toJSONSchema(
        z.object({
          archivo: z
            .string()
            .meta({ format: 'binary' })
            .describe(
              'CSV with a header row (delimiter , ; or tab; UTF-8), a JSON array of rows, or a OneRoster 1.1 CSV zip (manifest.csv, users.csv, …; bulk or delta)',
            ),
          mapeo: Formulario.shape.mapeo,
          nombreArchivo: Formulario.shape.nombreArchivo,
        }),
        { target: 'openapi-3.0', io: 'input' },
      ),
    },
    'application/json': { schema: z.toJSONSchema(CuerpoJson, { target: 'openapi-3.0', io: 'input' }) },
  },
};

@ApiTags('lotes')
@ApiBearerAuth(BEARER)
@Controller('api/v1/lotes')
export class LotesController {
  constructor(
    @InjectConfig() private readonly config: GatewayConfig,
    private readonly lotes: LoteService,
    private readonly lista: LotesQueries,
    private readonly queries: WorkflowQueries,
    private readonly acciones: AccionesService,
    private readonly planes: PlanService,
  ) {}

  @Post()
  @RequiresRole('operator')
  @HttpCode(202)
  @UseInterceptors(FileInterceptor('archivo'), IdempotencyAfterUpload)
  @ApiOperation({
    requestBody: CargaDoc as never,
    summary:
      'Upload a lote: a CSV (header + optional column mapping), JSON rows or a OneRoster 1.1 CSV zip; ingest-service validates each row. With ?simular=true, only its plan',
    description:
      'The file is limited in size (UPLOAD_MAX_BYTES → 413) and rows (UPLOAD_MAX_ROWS). The answer is the lote to follow; rows ingest-service finds invalid are listed in the lote (ingesta.invalidos). ?simular=true: the lote shows what it would do (estado simulado, its /plan) until it is confirmed or dropped; nothing else changes. An upload whose plan would suspend more students than umbralBajas allows waits for approval (esperando_aprobacion).',
  })
  @ApiAcceptedResponse({
    standardSchema: z.object({
      loteId: z.uuid(),
      tareaId: z.uuid().nullable().describe('null for a dry run: its tarea starts when it is confirmed'),
      simulacion: z.boolean(),
      filas: z.number().int().describe("the rows; for a OneRoster zip, users.csv's students"),
      links: z.object({ lote: z.string(), tarea: z.string().optional(), plan: z.string().optional() }),
      ignorados: z.array(z.string()).optional().describe('OneRoster zip: its files Lucy does not read, each with why'),
    }),
  })
  async cargar(
    @Req() req: Request,
    @Query({ schema: Simulacion }) q: z.infer<typeof Simulacion>,
    @UploadedFile() archivo: ArchivoSubido | undefined,
    @Body() body: unknown,
    @Actor() actor: string,
  ) {
    const limites = { maxFilas: this.config.UPLOAD_MAX_ROWS };
    const simular = q.simular ?? false;
    let filas;
    let nombre: string | null;
    try {
      if (req.is('multipart/form-data')) {
        if (!archivo)
          throw invalidInput('formulario', [
            { campo: 'archivo', mensaje: 'falta el archivo: enviá el campo "archivo" del formulario' },
          ]);
        const form = parse(Formulario, body ?? {}, 'formulario');
        if (esZip({ nombre: archivo.originalname, tipo: archivo.mimetype }))
          return await this.cargarOneRoster(archivo, form.nombreArchivo, actor, simular);
        const mapeo = form.mapeo ? parse(Mapeo, jsonDe(form.mapeo, 'mapeo'), 'mapeo') : {};
        nombre = form.nombreArchivo ?? nombreDelArchivo(archivo.originalname);
        filas = filasDelArchivo(
          { nombre: archivo.originalname, tipo: archivo.mimetype, contenido: archivo.buffer },
          mapeo,
          limites,
        );
      } else if (req.is('application/json')) {
        const json = parse(CuerpoJson, body, 'cuerpo');
        nombre = json.nombreArchivo;
        filas = validarCantidad(leerJson(json.filas), limites);
      } else {
        throw new UnsupportedMediaTypeException(
          'enviá multipart/form-data con el campo "archivo", o application/json con {filas: [...]}',
        );
      }
    } catch (err) {
      if (err instanceof ArchivoInvalido)
        throw invalidInput(req.is('multipart/form-data') ? 'archivo' : 'cuerpo', [
          { campo: req.is('multipart/form-data') ? 'archivo' : 'filas', mensaje: err.message },
        ]);
      throw err;
    }
    const { loteId, tareaId } = await this.lotes.registrarUpload(filas, nombre, actor, { simular });
    return respuestaDeCarga(loteId, tareaId, simular, filas.length);
  }

  /** A OneRoster 1.1 CSV zip (oneroster-archivo.ts): a zip or manifest that cannot be used is refused here, with why. */
  private async cargarOneRoster(
    archivo: ArchivoSubido,
    nombreArchivo: string | undefined,
    actor: string,
    simular: boolean,
  ) {
    const nombre = nombreArchivo ?? nombreDelArchivo(archivo.originalname);
    const leido = await leerOneRoster(archivo.buffer, {
      maxFilas: this.config.UPLOAD_MAX_ROWS,
      maxEntradas: MAX_ENTRADAS_ZIP,
      maxDescomprimido: MAX_FACTOR_ZIP * this.config.UPLOAD_MAX_BYTES,
    });
    const { loteId, tareaId } = await this.lotes.registrarOneRoster(leido, nombre, actor, { simular });
    return { ...respuestaDeCarga(loteId, tareaId, simular, leido.estudiantes), ignorados: leido.ignorados };
  }

  @Get()
  @ApiOperation({ summary: 'Lotes, newest first, each with its progress' })
  @ApiOkResponse({ standardSchema: pageOf(Progreso) })
  listar(@Query({ schema: Listado }) q: z.infer<typeof Listado>) {
    const { limit, offset, ...filtro } = q;
    return this.lista.listar(filtro, limit, offset);
  }

  @Get(':id')
  @ApiOperation({ summary: "A lote's progress: total, completed, failed, in progress, pending, percentage, breakdown" })
  @ApiOkResponse({ standardSchema: Progreso })
  progreso(@Param('id', { schema: Id }) id: string) {
    return this.lotes.progreso(id);
  }

  @Get(':id/plan')
  @ApiOperation({
    summary:
      "A lote's plan, paged: per student, the action (crear, actualizar, suspender, retornar, ninguna; invalid rows and unknown leavers), the fields before and after, the courses, and counts per action",
  })
  @ApiOkResponse({
    standardSchema: pageOf(ItemPlanDoc).extend({
      loteId: z.uuid(),
      estado: z.enum(ESTADOS_LOTE),
      plan: PlanResumen,
      resumen: z
        .record(z.string(), z.number())
        .describe('items per action (all of the plan, whatever the filter), and cursos: students whose courses change'),
    }),
  })
  async plan(@Param('id', { schema: Id }) id: string, @Query({ schema: PlanListado }) q: z.infer<typeof PlanListado>) {
    const lote = await this.lotes.progreso(id);
    const { limit, offset, ...filtro } = q;
    const pagina = await this.planes.items(id, filtro, limit, offset);
    return { loteId: id, estado: lote.estado, plan: lote.plan, resumen: await this.planes.resumen(id), ...pagina };
  }

  @Post(':id/confirmar')
  @RequiresRole('operator')
  @HttpCode(202)
  @ApiOperation({
    summary:
      'Confirm a simulated lote: ingest-service applies the plan it kept, exactly as shown (its rows, not a new read of the source); refused (the lote fallido) if the registry changed since for a student it touches',
  })
  @ApiAcceptedResponse({ standardSchema: ResolucionRespuesta })
  confirmar(
    @Param('id', { schema: Id }) id: string,
    @Body({ schema: CuerpoResolucion }) body: z.infer<typeof CuerpoResolucion>,
    @Actor() actor: string,
  ) {
    return this.resolver(id, 'confirmar', body, actor);
  }

  @Post(':id/aprobar')
  @RequiresRole('operator')
  @HttpCode(202)
  @ApiOperation({
    summary:
      'Approve a lote held by the safeguard (esperando_aprobacion): the same as confirming; who approved is in the audit trail',
  })
  @ApiAcceptedResponse({ standardSchema: ResolucionRespuesta })
  aprobar(
    @Param('id', { schema: Id }) id: string,
    @Body({ schema: CuerpoResolucion }) body: z.infer<typeof CuerpoResolucion>,
    @Actor() actor: string,
  ) {
    return this.resolver(id, 'aprobar', body, actor);
  }

  @Post(':id/descartar')
  @RequiresRole('operator')
  @HttpCode(202)
  @ApiOperation({ summary: "Drop a lote's plan (simulado or esperando_aprobacion): nothing of it is ever applied" })
  @ApiAcceptedResponse({ standardSchema: ResolucionRespuesta })
  descartar(
    @Param('id', { schema: Id }) id: string,
    @Body({ schema: CuerpoResolucion }) body: z.infer<typeof CuerpoResolucion>,
    @Actor() actor: string,
  ) {
    return this.resolver(id, 'descartar', body, actor);
  }

  private resolver(id: string, resolucion: Resolucion, body: z.infer<typeof CuerpoResolucion>, actor: string) {
    return this.planes.resolver(id, resolucion, actor, body.motivo);
  }

  @Post(':id/reintentar')
  @RequiresRole('operator')
  @HttpCode(202)
  @ApiOperation({
    summary:
      'Retry what failed in the lote: Moodle enrolments, credentials where email failed, and the onboarding of students whose account failed (recorded as a tarea)',
  })
  @ApiAcceptedResponse({ standardSchema: EjecucionSchema.extend({ loteId: z.uuid(), reintentos: z.number().int() }) })
  async reintentar(@Param('id', { schema: Id }) loteId: string, @Actor() actor: string) {
    await this.lotes.progreso(loteId); // 404 for an unknown lote
    const pares: { alumnoId: string; accion: Accion }[] = [];
    for (const p of await this.queries.conAvisos(loteId))
      for (const paso of p.pasos) {
        const accion = accionDeReintento(paso);
        if (accion) pares.push({ alumnoId: p.alumnoId, accion });
      }
    for (const alumnoId of await this.queries.fallidos(loteId)) pares.push({ alumnoId, accion: 'activar' });
    const r = await this.acciones.varias(pares, actor, { tipo: 'reintento', loteId });
    return { loteId, reintentos: r.iniciados, ...r };
  }
}

/**
 * A OneRoster zip's bounds against zip bombs: entries, and bytes its files may inflate to (this many times
 * the upload's own limit; a roster's CSVs compress about tenfold).
 */
const MAX_ENTRADAS_ZIP = 64;
const MAX_FACTOR_ZIP = 20;

function respuestaDeCarga(loteId: string, tareaId: string | null, simular: boolean, filas: number) {
  return {
    loteId,
    tareaId,
    simulacion: simular,
    filas,
    links: {
      lote: `/api/v1/lotes/${loteId}`,
      ...(tareaId ? { tarea: `/api/v1/tareas/${tareaId}` } : {}),
      ...(simular ? { plan: `/api/v1/lotes/${loteId}/plan` } : {}),
    },
  };
}

/** What multer's memory storage gives (no @types/multer here). */
interface ArchivoSubido {
  originalname: string;
  mimetype: string;
  buffer: Buffer;
}

function jsonDe(texto: string, campo: string): unknown {
  try {
    return JSON.parse(texto);
  } catch {
    const mensaje = 'no es JSON válido: enviá algo como {"dni":"Documento","nombre":"Nombres"}';
    throw new BadRequestException({ message: `${campo} ${mensaje}`, problemas: [{ campo, mensaje }] });
  }
}

/** The name the client's file had, kept with the lote: refused when a text column cannot keep it or a person read it. */
function nombreDelArchivo(nombre: string): string | null {
  const problema =
    Campo.safeParse(nombre).error?.issues[0]?.message ??
    (/[\u0000-\u001f\u007f-\u009f]/.test(nombre) ? 'tiene caracteres de control' : undefined);
  if (problema)
    throw invalidInput('formulario', [
      { campo: 'archivo', mensaje: `el nombre del archivo ${problema}: renombralo o enviá nombreArchivo` },
    ]);
  return nombre.slice(0, 300) || null;
}
