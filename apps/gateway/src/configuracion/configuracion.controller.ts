import { Body, Controller, Get, Header, HttpCode, Param, Patch, Post, Put, Query } from '@nestjs/common';
import { ApiAcceptedResponse, ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { z } from 'zod';
import { Configuracion } from '@lucy/contracts';
import { BEARER } from '../api/docs.setup.js';
import { paginaDe, Paginacion } from '../api/schemas.js';
import { Actor } from '../auth/actor.decorator.js';
import { Requiere } from '../auth/roles.js';
import { ConfiguracionApi } from './configuracion.schema.js';
import { ConfiguracionService } from './configuracion.service.js';

const Version = z.object({
  version: z.number().int(),
  valores: Configuracion,
  cambios: z.array(z.string()).describe('the top-level keys that differ from the previous version'),
  fijadas: z
    .array(z.string())
    .describe(
      "the top-level keys an operator has set in this or an earlier version (every version's cambios together). Only these reach the services; a key never set keeps each service's environment value, and its value here is only the gateway's default",
    ),
  cambiadoPor: z.string(),
  motivo: z.string().nullable(),
  at: z.string().nullable(),
});
const Cambio = Version.extend({ sinCambios: z.boolean() });
const Aplicacion = z.object({
  servicio: z.string(),
  version: z.number().int().nullable().describe('the version it applies (0: none, its environment only); null: unknown, it did not answer or does not say'),
  rechazadas: z.record(z.string(), z.string()).nullable().describe('keys whose value it refused, with its reason: they keep their previous value; null when unknown'),
  alDia: z.boolean().describe('it applies the current version (false when behind, ahead, or unknown)'),
  error: z.string().nullable().describe('why it is unknown'),
});
const Actual = Version.extend({ aplicacion: z.array(Aplicacion).describe('each service that owns keys: which version it applies, read from its /health/ready') });
const Republicada = z.object({ version: z.number().int(), fijadas: z.array(z.string()), tareaId: z.uuid(), nota: z.string() });

const Meta = { motivo: z.string().max(500).optional(), versionBase: z.number().int().min(0).optional().describe('the version being edited: 409 if it is no longer the current one') };
const Reemplazo = z.object({ valores: ConfiguracionApi, ...Meta }).strict();
const Parcial = z.object({ valores: ConfiguracionApi.partial().strict(), ...Meta }).strict();
/** What GET /config/export gives, as it gives it; only `valores` is read back. */
const Importacion = z.object({ formato: z.literal('lucy-config').optional(), version: z.number().int().optional(), exportadoAt: z.string().optional(), valores: ConfiguracionApi, motivo: z.string().max(500).optional() }).strict();
const NumeroVersion = z.coerce.number({ error: 'debe ser un número de versión' }).int().min(0).max(2_147_483_647);

@ApiTags('config')
@ApiBearerAuth(BEARER)
@Controller('api/v1/config')
export class ConfiguracionController {
  constructor(private readonly configuracion: ConfiguracionService) {}

  @Get()
  @ApiOperation({
    summary: 'The current configuration (version 0: nothing stored, the services run on their environment) and which version each service applies',
    description: [
      'Keys and who applies them: loteTamano → ingest-service; limites → teams (graph), moodle, mail (smtp); upn, licenciaSku → teams-service; cursos, moodleAuth, zonaHoraria (new users) → moodle-service; plantillaEmail → mail-service; sincronizacion, zonaHoraria (its schedule, the dashboard) → the gateway. Secrets are never here.',
      "Only the keys in `fijadas` (set by an operator in some version) reach the services. A key never set keeps each service's environment value (BATCH_SIZE, MOODLE_CURSOS, …): the value shown for it is the gateway's default, not necessarily what a service runs. What each service applies, and the keys it refused, is under `aplicacion` (and on the dashboard's service page): that is the truth.",
      'A service that does not answer within 1.5 s is listed with version null, not as an error.',
    ].join('\n\n'),
  })
  @ApiOkResponse({ standardSchema: Actual })
  actual() {
    return this.configuracion.actualConAplicacion();
  }

  @Put()
  @Requiere('admin')
  @ApiOperation({ summary: 'Replace the configuration: a new version, announced to the services (ConfiguracionCambiada)' })
  @ApiOkResponse({ standardSchema: Cambio })
  reemplazar(@Body({ schema: Reemplazo }) b: z.infer<typeof Reemplazo>, @Actor() actor: string) {
    return this.configuracion.cambiar(b.valores, actor, b);
  }

  @Patch()
  @Requiere('admin')
  @ApiOperation({ summary: 'Change some top-level keys (each named key is replaced whole): a new version, announced' })
  @ApiOkResponse({ standardSchema: Cambio })
  async cambiar(@Body({ schema: Parcial }) b: z.infer<typeof Parcial>, @Actor() actor: string) {
    const actual = await this.configuracion.actual();
    return this.configuracion.cambiar({ ...actual.valores, ...b.valores }, actor, b);
  }

  @Get('versiones')
  @ApiOperation({ summary: 'Every version: who changed which keys, when and why; newest first' })
  @ApiOkResponse({ standardSchema: paginaDe(z.object({ version: z.number().int(), cambios: z.array(z.string()), cambiadoPor: z.string(), motivo: z.string().nullable(), at: z.string() })) })
  versiones(@Query({ schema: z.object(Paginacion).strict() }) q: { limit: number; offset: number }) {
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
    return { formato: 'lucy-config', version: actual.version, exportadoAt: new Date().toISOString(), valores: actual.valores };
  }

  @Post('import')
  @Requiere('admin')
  @ApiOperation({ summary: 'Import an exported configuration: validated like PUT, a new version unless nothing differs' })
  @ApiOkResponse({ standardSchema: Cambio })
  importar(@Body({ schema: Importacion }) b: z.infer<typeof Importacion>, @Actor() actor: string) {
    return this.configuracion.cambiar(b.valores, actor, { motivo: b.motivo ?? `importada${b.version ? ` (versión ${b.version} de origen)` : ''}` });
  }

  @Post('republicar')
  @Requiere('admin')
  @HttpCode(202)
  @ApiOperation({
    summary: 'Announce the current version again (ConfiguracionCambiada, same number): for a service whose queue did not exist when it went out',
    description:
      'Harmless: a service that has this version already ignores it. Every gateway replica does it when it starts; this is the same on demand, recorded in the audit trail and as a tarea. 409 at version 0 (nothing stored).',
  })
  @ApiAcceptedResponse({ standardSchema: Republicada })
  async republicar(@Actor() actor: string) {
    const r = await this.configuracion.republicar(actor);
    return { ...r, nota: 'cada servicio la aplica en segundos; GET /api/v1/config muestra en aplicacion la versión de cada uno' };
  }
}
