// The token table: create (the clear token is returned once, never stored), list, revoke, verify; and the
// first admin token from the environment, hashed into the table at start.
import { ConflictException, Injectable, Logger, NotFoundException, type OnApplicationBootstrap } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { InjectConfig } from '@lucy/platform';
import type { GatewayConfig } from '../config.js';
import type { Identity, Role } from './roles.js';
import { hashToken, nuevoToken } from './token.js';
import { TokenRepository } from './token.repository.js';

export interface TokenInfo {
  id: string;
  nombre: string;
  rol: Role;
  creadoPor: string;
  creadoAt: string;
  usadoAt: string | null;
  revocadoAt: string | null;
}

/** How often a token's use is recorded (usado_at), at most. */
const MARCA_CADA_MS = 60_000;

/** The name the environment's token is recorded under. */
export const ADMIN_ENTORNO = 'admin';

const info = (r: Record<string, any>): TokenInfo => ({
  id: r.id,
  nombre: r.nombre,
  rol: r.rol,
  creadoPor: r.creado_por,
  creadoAt: r.created_at.toISOString(),
  usadoAt: r.usado_at?.toISOString() ?? null,
  revocadoAt: r.revocado_at?.toISOString() ?? null,
});

@Injectable()
export class TokenService implements OnApplicationBootstrap {
  private readonly log = new Logger('Tokens');
  /**
   * When this process last recorded each token's use. The table keeps usado_at to the minute
   * (TokenRepository.marcarUso), so a request within a minute of the last mark here skips the UPDATE: under
   * load it was a write and a pool connection per request, for nothing.
   */
  private readonly marcadoAt = new Map<string, number>();

  constructor(
    @InjectConfig() private readonly config: GatewayConfig,
    private readonly db: DataSource,
    private readonly repo: TokenRepository,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    if (!this.config.ADMIN_TOKEN) {
      this.log.warn('ADMIN_TOKEN is not set: only tokens already in the database can use the API');
      return;
    }
    await this.repo.fijarDelEntorno(this.db.manager, ADMIN_ENTORNO, hashToken(this.config.ADMIN_TOKEN));
  }

  async crear(nombre: string, rol: Role, creadoPor: string): Promise<TokenInfo & { token: string }> {
    const token = nuevoToken();
    try {
      const row = await this.repo.crear(this.db.manager, { nombre, rol, hash: hashToken(token), creadoPor });
      return { ...info(row), token };
    } catch (err) {
      if ((err as { code?: string }).code === '23505')
        throw new ConflictException(`ya hay un token vigente llamado "${nombre}": elegí otro nombre o revocá ese`);
      throw err;
    }
  }

  async listar(incluirRevocados: boolean): Promise<TokenInfo[]> {
    const rows = await this.repo.listar(this.db.manager, incluirRevocados);
    return rows.map(info);
  }

  async revocar(id: string): Promise<TokenInfo> {
    const row = await this.repo.revocar(this.db.manager, id);
    if (!row) throw new NotFoundException(`no existe el token ${id}`);
    return info(row);
  }

  /** The holder of a token that is valid now, or undefined. */
  async verificar(token: string): Promise<Identity | undefined> {
    const row = await this.repo.vigente(this.db, hashToken(token));
    if (!row) return undefined;
    const ahora = Date.now();
    if (ahora - (this.marcadoAt.get(row.id) ?? -Infinity) >= MARCA_CADA_MS) {
      this.marcadoAt.set(row.id, ahora);
      void this.repo.marcarUso(this.db.manager, row.id).catch(() => this.marcadoAt.delete(row.id));
    }
    return { tokenId: row.id, nombre: row.nombre, rol: row.rol };
  }
}
