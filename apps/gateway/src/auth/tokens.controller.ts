import { Body, Controller, Delete, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { z } from 'zod';
import { BEARER } from '../api/docs.setup.js';
import { Id } from '../api/schemas.js';
import { Actor, Caller } from './actor.decorator.js';
import { RequiresRole, Role, type Identity } from './roles.js';
import { TokenService } from './token.service.js';

const NuevoToken = z
  .object({
    nombre: z
      .string()
      .trim()
      .min(1)
      .max(100)
      .regex(/^[\p{L}\p{N} ._@-]+$/u, { error: 'letras, números, espacio y . _ @ -' })
      .describe('quién lo usa: aparece como actor en la auditoría'),
    rol: Role,
  })
  .strict();
const TokenInfo = z.object({
  id: z.uuid(),
  nombre: z.string(),
  rol: Role,
  creadoPor: z.string(),
  creadoAt: z.string(),
  usadoAt: z.string().nullable(),
  revocadoAt: z.string().nullable(),
});
const Listado = z.object({ incluirRevocados: z.stringbool().default(false) }).strict();

@ApiTags('tokens')
@ApiBearerAuth(BEARER)
@Controller('api/v1')
export class TokensController {
  constructor(private readonly tokens: TokenService) {}

  @Get('sesion')
  @ApiOperation({ summary: 'Who the token belongs to, and its role (the dashboard signs in with it)' })
  @ApiOkResponse({ standardSchema: z.object({ nombre: z.string(), rol: Role }) })
  sesion(@Caller() quien: Identity) {
    return { nombre: quien.nombre, rol: quien.rol };
  }

  @Post('tokens')
  @RequiresRole('admin')
  @ApiOperation({ summary: 'Create a token; the token itself is in this answer only' })
  @ApiCreatedResponse({ standardSchema: TokenInfo.extend({ token: z.string() }) })
  crear(@Body({ schema: NuevoToken }) body: z.infer<typeof NuevoToken>, @Actor() actor: string) {
    return this.tokens.crear(body.nombre, body.rol, actor);
  }

  @Get('tokens')
  @RequiresRole('admin')
  @ApiOperation({ summary: 'Tokens (never their value)' })
  @ApiOkResponse({ standardSchema: z.array(TokenInfo) })
  listar(@Query({ schema: Listado }) q: z.infer<typeof Listado>) {
    return this.tokens.listar(q.incluirRevocados);
  }

  @Delete('tokens/:id')
  @RequiresRole('admin')
  @HttpCode(200)
  @ApiOperation({ summary: 'Revoke a token: it stops working at once' })
  @ApiOkResponse({ standardSchema: TokenInfo })
  revocar(@Param('id', { schema: Id }) id: string) {
    return this.tokens.revocar(id);
  }
}
