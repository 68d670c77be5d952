// The dashboard's own API: every service's health gathered in one answer, the same as a live stream,
// and a dry run of a configuration edit. Viewer role: none of it changes anything.
//
// The stream is server-sent events read with fetch(), not EventSource: EventSource cannot send an
// Authorization header, and the alternatives (the token in the URL, where proxies and logs keep it; a
// cookie, which brings CSRF with it) are weaker than the bearer token every other route takes.
import { Body, Controller, Get, HttpCode, Post, Sse, type MessageEvent } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import { exhaustMap, from, map, timer, type Observable } from 'rxjs';
import { z } from 'zod';
import { BEARER } from '../api/docs.setup.js';
import { RequiresRole } from '../auth/roles.js';
import { ConfiguracionApi } from '../configuracion/configuracion.schema.js';
import { HistorialService, MINUTOS } from './historial.service.js';
import { PanelService } from './panel.service.js';

/** How often the stream sends the picture again. */
export const INTERVALO_MS = 3000;

const Cola = z.object({
  cola: z.string(),
  mensajes: z.number().int().nullable(),
  consumidores: z.number().int().nullable(),
  aparcados: z.number().int().nullable(),
});
const Breaker = z.object({
  dependencia: z.string(),
  estado: z.string().nullable().describe('closed, open, half-open'),
  desde: z.string().nullable(),
  ultimoFallo: z.string().nullable(),
  rpm: z.number().nullable().describe('requests per minute in force (configured × AIMD factor)'),
  llamadasPorMinuto: z.number().nullable().describe('calls made lately, as this instance of the service counts them'),
  uso: z.number().nullable().describe('llamadasPorMinuto / rpm'),
  limitador: z.record(z.string(), z.unknown()).nullable(),
});
const Servicio = z.object({
  servicio: z.string(),
  url: z.string(),
  estado: z.enum(['activo', 'degradado', 'caido']),
  motivo: z.string().nullable(),
  broker: z
    .object({ conectado: z.boolean(), reconexiones: z.number().nullable(), outboxPendiente: z.number().nullable() })
    .nullable(),
  colas: z.array(Cola),
  mensajesEnCola: z.number().int(),
  consumidores: z.number().int(),
  aparcados: z.number().int(),
  breakers: z.array(Breaker),
  usoTasa: z.number().nullable().describe('the highest rate use among its dependencies'),
  mensajesPorMinuto: z
    .number()
    .nullable()
    .describe('messages consumed per minute over the last minute; null until two samples exist'),
  ultimoError: z.string().nullable(),
  configuracion: z
    .object({
      version: z
        .number()
        .int()
        .describe('the runtime configuration version it applies (0: none, its environment only)'),
      alDia: z
        .boolean()
        .nullable()
        .describe("whether that is the gateway's current version (null: the current one could not be read)"),
      cambiadoPor: z.string().nullable(),
      appliedAt: z.string().nullable(),
      fijadas: z
        .array(z.string())
        .describe('its keys taken from the configuration; the others come from its environment'),
      rechazadas: z
        .record(z.string(), z.string())
        .describe('keys whose value it refused, with its reason: they keep their previous value'),
    })
    .nullable()
    .describe('from its /health/ready (libs/runtime-config); null when it reports none'),
});
const Panel = z.object({
  at: z.string(),
  configuracion: z
    .object({ version: z.number().int() })
    .nullable()
    .describe("the gateway's current configuration version (null: its database did not answer)"),
  servicios: z.array(Servicio),
});

const Historial = z.object({
  at: z.string(),
  incorporaciones: z
    .array(z.object({ at: z.string(), alumnos: z.number().int() }))
    .describe('one point per minute, oldest first: students whose onboarding finished completed that minute'),
  colas: z
    .array(
      z.object({
        at: z.string(),
        porServicio: z.record(z.string(), z.number().int().nullable()),
        enCola: z.number().int(),
        aparcados: z.number().int(),
      }),
    )
    .describe("this replica's samples, one a minute, oldest first: messages ready per service, and parked"),
});

const Borrador = z
  .object({ valores: z.unknown().describe('the configuration as PUT /api/v1/config would take it') })
  .strict();
const Validacion = z.object({
  valida: z.boolean(),
  problemas: z.array(z.object({ campo: z.string(), mensaje: z.string() })),
});

@ApiTags('panel')
@ApiBearerAuth(BEARER)
@Controller('api/v1/panel')
export class PanelController {
  constructor(
    private readonly panel: PanelService,
    private readonly historial: HistorialService,
  ) {}

  @Get('servicios')
  @ApiOperation({
    summary:
      "Every service's health in one answer: up or down, broker and outbox, queues (depth, consumers, parked), breakers with rate use, messages per minute, last error, the configuration version it applies and the keys it refused",
  })
  @ApiOkResponse({ standardSchema: Panel })
  servicios() {
    return this.panel.actual();
  }

  @Get('historial')
  @ApiOperation({
    summary: `The last ${MINUTOS} minutes for the Servicios page's charts: students onboarded per minute (from the workflows, the same on every replica) and the messages waiting in each service's queues (sampled once a minute by this gateway replica since it started)`,
  })
  @ApiOkResponse({ standardSchema: Historial })
  historialReciente() {
    return this.historial.actual();
  }

  @Sse('eventos')
  @ApiProduces('text/event-stream')
  @ApiOperation({
    summary: `The same picture as a stream of server-sent events (event "servicios", every ${INTERVALO_MS / 1000} s); send the bearer token in the Authorization header`,
  })
  eventos(): Observable<MessageEvent> {
    return timer(0, INTERVALO_MS).pipe(
      exhaustMap(() => from(this.panel.actual())),
      map((data) => ({ type: 'servicios', data })),
    );
  }

  @Post('config/validar')
  @RequiresRole('viewer')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Check a configuration as PUT /api/v1/config would, without saving it: every problem, by field',
  })
  @ApiOkResponse({ standardSchema: Validacion })
  validar(@Body({ schema: Borrador }) b: z.infer<typeof Borrador>): z.infer<typeof Validacion> {
    const r = ConfiguracionApi.safeParse(b.valores);
    if (r.success) return { valida: true, problemas: [] };
    return {
      valida: false,
      problemas: r.error.issues.map((i) => ({ campo: i.path.map(String).join('.') || '(todo)', mensaje: i.message })),
    };
  }
}
