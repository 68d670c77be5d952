// Every route under /api needs a valid bearer token and the role the route asks for (roles.ts).
// /health/*, /metrics and /docs are outside /api and open: probes and scrapers run inside the network
// (keep /metrics off the public proxy), and the API's description holds no data.
import {
  ForbiddenException,
  Injectable,
  UnauthorizedException,
  type CanActivate,
  type ExecutionContext,
} from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Request } from 'express';
import { roleReaches, PUBLIC_METADATA, ROLES_METADATA, type Identity, type Role } from './roles.js';
import { tokenDe } from './token.js';
import { TokenService } from './token.service.js';

export type RequestWithIdentity = Request & { identity?: Identity };

@Injectable()
export class AuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly tokens: TokenService,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    if (context.getType() !== 'http') return true;
    const req = context.switchToHttp().getRequest<RequestWithIdentity>();
    if (!req.path.startsWith('/api/')) return true;
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(PUBLIC_METADATA, targets)) return true;

    const token = tokenDe(req.headers.authorization);
    if (!token) throw new UnauthorizedException('falta el token: enviá Authorization: Bearer <token>');
    const identity = await this.tokens.verificar(token);
    if (!identity) throw new UnauthorizedException('el token no es válido o fue revocado');
    const necesita =
      this.reflector.getAllAndOverride<Role>(ROLES_METADATA, targets) ??
      (['GET', 'HEAD'].includes(req.method) ? 'viewer' : 'admin');
    if (!roleReaches(identity.rol, necesita))
      throw new ForbiddenException(
        `el token "${identity.nombre}" tiene el rol ${identity.rol}; esta operación necesita ${necesita}`,
      );
    req.identity = identity;
    return true;
  }
}
