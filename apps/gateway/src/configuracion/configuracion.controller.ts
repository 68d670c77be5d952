import { Body, Controller, Get, Header, Param, Patch, Post, Put, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { z } from 'zod';
import { Configuracion } from '@lucy/contracts';
import { BEARER } from '../api/docs.setup.js';
import { paginaDe, Paginacion } from '../api/schemas.js';
import { Actor } from '../auth/actor.decorator.js';
import { Requiere } from '../auth/roles.js';
import { ConfiguracionApi } from './configuracion.schema.js';
import { ConfiguracionService } from './configuracion.service.js';

const Version = z.object({ version: z.number().int(), valores: Configuracion, cambios: z.array(z.string()), cambiadoPor: z.string(), motivo: z.string().nullable(), at: z.string().nullable() });
const Cambio = Version.extend({ sinCambios: z.boolean() });

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
    summary: 'The current configuration (version 0: nothing stored, the services run on their defaults)',
    description:
      'Keys and who applies them: loteTamano → ingest-service; limites → teams (graph), moodle, mail (smtp); plantillaEmail, zonaHoraria → mail-service; upn, licenciaSku → teams-service; cursos, moodleAuth → moodle-service. Secrets are never here.',
  })
  @ApiOkResponse({ standardSchema: Version })
  actual() {
    return this.configuracion.actual();
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
}
