import { Body, Controller, Delete, Get, Header, HttpCode, Param, Patch, Post, Put, Query } from '@nestjs/common';
import { ApiAcceptedResponse, ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { z } from 'zod';
import { Configuracion } from '@lucy/contracts';
import { BEARER } from '../api/docs.setup.js';
import { pageOf, Pagination } from '../api/schemas.js';
import { Actor } from '../auth/actor.decorator.js';
import { RequiresRole } from '../auth/roles.js';
import { ConfiguracionApi, ConfiguracionNombrada } from './configuracion.schema.js';
import { ConfiguracionService } from './configuracion.service.js';

const Version = z.object({
  version: z.number().int(),
  valores: Configuracion,
  cambios: z.array(z.string()).describe('the top-level keys that differ from the previous version'),
  fijadas: z
    .array(z.string())
    .describe(
      "the top-level keys an operator has set and not given back: a key is set by a version that changes its value, by naming it in a PATCH or in an imported file (even with the value it has), and given back by DELETE /config/fijadas/{clave}. Only these reach the services; a key not set keeps each service's environment value, and its value here is only the gateway's default",
    ),
  cambiadoPor: z.string(),
  motivo: z.string().nullable(),
  at: z.string().nullable(),
});
const Cambio = Version.extend({
  sinCambios: z.boolean().describe('nothing stored: neither a value nor the keys set would change'),
});
const Historia = z.object({
  version: z.number().int(),
  cambios: z.array(z.string()),
  fijadas: z.array(z.string()).describe('the keys set as of this version'),
  fijadasNuevas: z.array(z.string()).describe('keys this version set (with a new value or the same one)'),
  soltadas: z.array(z.string()).describe('keys this version gave back to the services’ environment'),
  cambiadoPor: z.string(),
  motivo: z.string().nullable(),
  at: z.string(),
});
const Aplicacion = z.object({
  servicio: z.string(),
  version: z
    .number()
    .int()
    .nullable()
    .describe(
      'the version it applies (0: none, its environment only); null: unknown, it did not answer or does not say',
    ),
  rechazadas: z
    .record(z.string(), z.string())
    .nullable()
    .describe('keys whose value it refused, with its reason: they keep their previous value; null when unknown'),
  alDia: z.boolean().describe('it applies the current version (false when behind, ahead, or unknown)'),
  error: z.string().nullable().describe('why it is unknown'),
});
const Actual = Version.extend({
  aplicacion: z
    .array(Aplicacion)
    .describe('each service that owns keys: which version it applies, read from its /health/ready'),
});
const Republicada = z.object({
  version: z.number().int(),
  fijadas: z.array(z.string()),
  tareaId: z.uuid(),
  nota: z.string(),
});

const Meta = {
  motivo: z.string().max(500).optional(),
  versionBase: z
    .number()
    .int()
    .min(0)
    .optional()
    .describe('the version being edited: 409 if it is no longer the current one'),
};
const Reemplazo = z.object({ valores: ConfiguracionApi, ...Meta }).strict();
const Parcial = z.object({ valores: ConfiguracionNombrada.partial().strict(), ...Meta }).strict();
/** What GET /config/export gives, as it gives it; only `valores` is read back. */
const Importacion = z
  .object({
    formato: z.literal('lucy-config').optional(),
    version: z.number().int().optional(),
    exportadoAt: z.string().optional(),
    valores: ConfiguracionNombrada,
    motivo: z.string().max(500).optional(),
  })
  .strict();
const Soltar = z.object({ motivo: z.string().max(500).optional() }).strict();
const NumeroVersion = z.coerce.number({ error: 'debe ser un número de versión' }).int().min(0).max(2_147_483_647);

@ApiTags('config')
@ApiBearerAuth(BEARER)
@Controller('api/v1/config')
export class ConfiguracionController {
  constructor(private readonly configuracion: ConfiguracionService) {}

  @Get()
  @ApiOperation({
    summary:
      'The current configuration (version 0: nothing stored, the services run on their environment) and which version each service applies',
    description: [
      'Keys and who applies them: loteTamano, ausenciasParaBaja, umbralBajas, aprobacionNuevos, cursosOneRoster (OneRoster class sourcedId or course code → Moodle shortname) → ingest-service; limites → teams (graph), moodle, mail (smtp); upn, licenciaSku → teams-service; cursos, cursosAnteriores, moodleAuth, zonaHoraria (new users) → moodle-service; plantillaEmail, plantillaRetorno → mail-service; sincronizacion, zonaHoraria (its schedule, the dashboard) → the gateway. Secrets are never here.',
      "Only the keys in `fijadas` (set by an operator, not given back) reach the services. A key not set keeps each service's environment value (BATCH_SIZE, MOODLE_CURSOS, …): the value shown for it is the gateway's default, not necessarily what a service runs. What each service applies, and the keys it refused, is under `aplicacion` (and on the dashboard's service page): that is the truth.",
      'A service that does not answer within 1.5 s is listed with version null, not as an error.',
    ].join('\n\n'),
  })
  @ApiOkResponse({ standardSchema: Actual })
  actual() {
    return this.configuracion.actualConAplicacion();
  }

  @Put()
  @RequiresRole('admin')
  @ApiOperation({
    summary: 'Replace the configuration: a new version, announced to the services (ConfiguracionCambiada)',
    description:
      'What the dashboard form sends. The keys whose value changed become set (fijadas); a key sent with the value it has stays as it was (set or not): the form sends every key, not only those the operator meant.',
  })
  @ApiOkResponse({ standardSchema: Cambio })
  reemplazar(@Body({ schema: Reemplazo }) b: z.infer<typeof Reemplazo>, @Actor() actor: string) {
    return this.configuracion.cambiar(b.valores, actor, b);
  }

  @Patch()
  @RequiresRole('admin')
  @ApiOperation({
    summary: 'Change some top-level keys (each named key is replaced whole): a new version, announced',
    description:
      "Every key named becomes set (fijadas), even with the value it already has: the services then run that value, not their environment's (limites set so go out as LimitesCambiados for every API). A body that changes no value and names only keys already set stores nothing (sinCambios). The other keys keep their current value (merged under the lock that numbers versions).",
  })
  @ApiOkResponse({ standardSchema: Cambio })
  cambiar(@Body({ schema: Parcial }) b: z.infer<typeof Parcial>, @Actor() actor: string) {
    return this.configuracion.cambiar((actual) => ({ ...actual, ...b.valores }), actor, {
      motivo: b.motivo,
      versionBase: b.versionBase,
      fijar: Object.keys(b.valores),
    });
  }

  @Delete('fijadas/:clave')
  @RequiresRole('admin')
  @HttpCode(200)
  @ApiOperation({
    summary:
      "Give a key back to the services' environment: a new version, same values, whose fijadas lack it; announced",
    description: [
      "Each service then runs its environment's value for that key again (BATCH_SIZE, MOODLE_CURSOS, …), within seconds, without a restart; the gateway's value for it stays in `valores` as a default. Recorded in the audit trail (accion.configuracion, with soltadas) and as a tarea.",
      "A key used by the gateway too (zonaHoraria: its schedule and dashboard) keeps that use there. 404: the configuration has no such key. 400: the key is not set, or cannot go back: sincronizacion (only the gateway applies it, from the configuration) and limites (the services keep the limits they were sent, LimitesCambiados, in Redis, with no way back to their environment's: set those values instead).",
    ].join('\n\n'),
  })
  @ApiOkResponse({ standardSchema: Cambio })
  soltar(
    @Param('clave', { schema: z.string().max(100) }) clave: string,
    @Query({ schema: Soltar }) q: z.infer<typeof Soltar>,
    @Actor() actor: string,
  ) {
    return this.configuracion.soltar(clave, actor, q);
  }

  @Get('versiones')
  @ApiOperation({
    summary: 'Every version: who changed which keys, which keys it set or gave back, when and why; newest first',
  })
  @ApiOkResponse({ standardSchema: pageOf(Historia) })
  versiones(@Query({ schema: z.object(Pagination).strict() }) q: { limit: number; offset: number }) {
    return this.configuracion.versiones(q.limit, q.offset);
  }

  @Get('versiones/:version')
  @ApiOperation({ summary: 'One version' })
  @ApiOkResponse({ standardSchema: Version })
  version(@Param('version', { schema: NumeroVersion }) n: number) {
    return this.configuracion.version(n);
  }

  @Get('export')
  @Header('Content-Disposition', 'attachment; filename="lucy-config.json"')
  @ApiOperation({ summary: 'The current configuration as a JSON file, to import elsewhere' })
  async exportar() {
    const actual = await this.configuracion.actual();
    return {
      formato: 'lucy-config',
      version: actual.version,
      exportadoAt: new Date().toISOString(),
      valores: actual.valores,
    };
  }

  @Post('import')
  @RequiresRole('admin')
  @ApiOperation({
    summary:
      'Import an exported configuration (say from staging into production): validated like PUT, a new version unless nothing differs',
    description:
      "Every top-level key present in the file becomes set (fijadas), even where its value equals this site's: the file's values are in force here, not each service's environment. Keys already set stay set. A file without sincronizacion (exported before it existed) leaves this site's as it is, and not set by the import.",
  })
  @ApiOkResponse({ standardSchema: Cambio })
  importar(@Body({ schema: Importacion }) b: z.infer<typeof Importacion>, @Actor() actor: string) {
    const motivo = b.motivo ?? `importada${b.version ? ` (versión ${b.version} de origen)` : ''}`;
    return this.configuracion.cambiar((actual) => ({ ...actual, ...b.valores }), actor, {
      motivo,
      fijar: Object.keys(b.valores),
    });
  }

  @Post('republicar')
  @RequiresRole('admin')
  @HttpCode(202)
  @ApiOperation({
    summary:
      'Announce the current version again (ConfiguracionCambiada, same number): for a service whose queue did not exist when it went out',
    description:
      'Harmless: a service that has this version already ignores it. Every gateway replica does it when it starts; this is the same on demand, recorded in the audit trail and as a tarea. 409 at version 0 (nothing stored).',
  })
  @ApiAcceptedResponse({ standardSchema: Republicada })
  async republicar(@Actor() actor: string) {
    const r = await this.configuracion.republicar(actor);
    return {
      ...r,
      nota: 'cada servicio la aplica en segundos; GET /api/v1/config muestra en aplicacion la versión de cada uno',
    };
  }
}
