// The token table: create (the clear token is returned once, never stored), list, revoke, verify; and the
// first admin token from the environment, hashed into the table at start.
import { ConflictException, Injectable, Logger, NotFoundException, type OnApplicationBootstrap } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { InjectConfig } from '@lucy/platform';
import type { GatewayConfig } from '../config.js';
import type { Identity, Role } from './roles.js';
import { hashToken, nuevoToken } from './token.js';

export interface TokenInfo {
  id: string;
  nombre: string;
  rol: Role;
  creadoPor: string;
  creadoAt: string;
  usadoAt: string | null;
  revocadoAt: string | null;
}

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
  private readonly t: string;

  constructor(
    @InjectConfig() private readonly config: GatewayConfig,
    private readonly db: DataSource,
  ) {
    this.t = `"${config.DB_SCHEMA}".api_token`;
  }

  async onApplicationBootstrap(): Promise<void> {
    if (!this.config.ADMIN_TOKEN) {
      this.log.warn('ADMIN_TOKEN is not set: only tokens already in the database can use the API');
      return;
    }
    const hash = hashToken(this.config.ADMIN_TOKEN);
    // A changed ADMIN_TOKEN replaces the old one; several replicas starting together insert it once.
    await this.db.query(
      `UPDATE ${this.t} SET hash = $1 WHERE nombre = $2 AND creado_por = 'entorno' AND revocado_at IS NULL AND hash <> $1`,
      [hash, ADMIN_ENTORNO],
    );
    await this.db.query(
      `INSERT INTO ${this.t} (id, nombre, rol, hash, creado_por) VALUES ($1, $2, 'admin', $3, 'entorno') ON CONFLICT DO NOTHING`,
      [randomUUID(), ADMIN_ENTORNO, hash],
    );
  }

  async crear(nombre: string, rol: Role, creadoPor: string): Promise<TokenInfo & { token: string }> {
    const token = nuevoToken();
    try {
      const [row] = await this.db.query(
        `INSERT INTO ${this.t} (id, nombre, rol, hash, creado_por) VALUES ($1, $2, $3, $4, $5) RETURNING *`,
        [randomUUID(), nombre, rol, hashToken(token), creadoPor],
      );
      return { ...info(row), token };
    } catch (err) {
      if ((err as { code?: string }).code === '23505')
        throw new ConflictException(`ya hay un token vigente llamado "${nombre}": elegí otro nombre o revocá ese`);
      throw err;
    }
  }

  async listar(incluirRevocados: boolean): Promise<TokenInfo[]> {
    const rows = await this.db.query(
      `SELECT * FROM ${this.t} ${incluirRevocados ? '' : 'WHERE revocado_at IS NULL'} ORDER BY created_at`,
    );
    return rows.map(info);
  }

  async revocar(id: string): Promise<TokenInfo> {
    const [rows] = await this.db.query(
      `UPDATE ${this.t} SET revocado_at = coalesce(revocado_at, now()) WHERE id = $1 RETURNING *`,
      [id],
    );
    if (!rows?.length) throw new NotFoundException(`no existe el token ${id}`);
    return info(rows[0]);
  }

  /** The holder of a token that is valid now, or undefined. */
  async verificar(token: string): Promise<Identity | undefined> {
    const [row] = await this.db.query(`SELECT id, nombre, rol FROM ${this.t} WHERE hash = $1 AND revocado_at IS NULL`, [
      hashToken(token),
    ]);
    if (!row) return undefined;
    // At most one write a minute per token, however busy it is.
    void this.db
      .query(
        `UPDATE ${this.t} SET usado_at = now() WHERE id = $1 AND (usado_at IS NULL OR usado_at < now() - interval '1 minute')`,
        [row.id],
      )
      .catch(() => undefined);
    return { tokenId: row.id, nombre: row.nombre, rol: row.rol };
  }
}
