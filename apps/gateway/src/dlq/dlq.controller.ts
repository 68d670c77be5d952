import { Body, Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { z } from 'zod';
import { BEARER } from '../api/docs.setup.js';
import { Actor } from '../auth/actor.decorator.js';
import { RequiresRole } from '../auth/roles.js';
import { DlqService } from './dlq.service.js';

const Servicio = z
  .string()
  .regex(/^[a-z][a-z0-9-]{0,62}$/, { error: 'debe ser el nombre de un servicio, p. ej. teams-service' });
const Cola = z.string().max(100).optional().describe("the queue: the service's own (default) or <service>.control");
const MessageId = z.string().min(1).max(200);

const Listado = z.object({ cola: Cola, limit: z.coerce.number().int().min(1).max(1000).default(100) }).strict();
const Reintento = z
  .object({
    cola: Cola,
    messageId: MessageId.optional().describe('one message; absent: every parked message of the queue'),
  })
  .strict();
const Descarte = z
  .object({
    cola: Cola,
    messageId: MessageId.optional(),
    todos: z.literal(true).optional().describe('discard every parked message of the queue'),
  })
  .strict()
  .refine((b) => Boolean(b.messageId) !== Boolean(b.todos), {
    error: 'indicá messageId, o todos: true para descartar toda la cola',
  });

const Mensaje = z.object({
  messageId: z.string(),
  tipo: z.string().nullable(),
  cola: z.string(),
  correlationId: z.string().nullable(),
  error: z.string().nullable(),
  codigoError: z.string().nullable(),
  intentos: z.number().int(),
  primerFallo: z.string().nullable(),
  ultimoFallo: z.string().nullable(),
  aparcadoAt: z.string().nullable(),
  cuerpo: z.unknown(),
});
const Operacion = z.object({
  servicio: z.string(),
  cola: z.string(),
  operacion: z.enum(['reintentar', 'descartar']),
  mensajes: z.number().int(),
  tareaId: z.uuid(),
});

@ApiTags('dlq')
@ApiBearerAuth(BEARER)
@Controller('api/v1/dlq')
export class DlqController {
  constructor(private readonly dlq: DlqService) {}

  @Get()
  @ApiOperation({ summary: 'Parked messages per service and queue (counts)' })
  @ApiOkResponse({
    standardSchema: z.array(
      z.object({
        servicio: z.string(),
        aparcados: z.number().int(),
        colas: z.array(z.object({ cola: z.string(), aparcados: z.number().int().nullable() })),
      }),
    ),
  })
  resumen() {
    return this.dlq.resumen();
  }

  @Get(':servicio')
  @RequiresRole('operator')
  @ApiOperation({
    summary:
      "A service's parked messages, oldest first, with the reason and attempts (operator: payloads hold personal data)",
  })
  @ApiOkResponse({
    standardSchema: z.object({
      servicio: z.string(),
      cola: z.string(),
      total: z.number().int(),
      mensajes: z.array(Mensaje),
    }),
  })
  listar(
    @Param('servicio', { schema: Servicio }) servicio: string,
    @Query({ schema: Listado }) q: z.infer<typeof Listado>,
  ) {
    return this.dlq.listar(servicio, q.cola, q.limit);
  }

  @Post(':servicio/reintentar')
  @RequiresRole('operator')
  @HttpCode(200)
  @ApiOperation({ summary: 'Replay one parked message (messageId) or all of a queue, with a fresh retry budget' })
  @ApiOkResponse({ standardSchema: Operacion })
  reintentar(
    @Param('servicio', { schema: Servicio }) servicio: string,
    @Body({ schema: Reintento }) b: z.infer<typeof Reintento>,
    @Actor() actor: string,
  ) {
    return this.dlq.reintentar(servicio, b.cola, b.messageId, actor);
  }

  @Post(':servicio/descartar')
  @RequiresRole('operator')
  @HttpCode(200)
  @ApiOperation({ summary: 'Discard one parked message (messageId) or, with todos: true, all of a queue' })
  @ApiOkResponse({ standardSchema: Operacion })
  descartar(
    @Param('servicio', { schema: Servicio }) servicio: string,
    @Body({ schema: Descarte }) b: z.infer<typeof Descarte>,
    @Actor() actor: string,
  ) {
    return this.dlq.descartar(servicio, b.cola, b.messageId, actor);
  }
}
