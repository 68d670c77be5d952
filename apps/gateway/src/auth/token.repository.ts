// The api_token rows. A token is stored only as its hash; the clear token never reaches this file.
import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import type { DataSource, EntityManager } from 'typeorm';
import { InjectConfig } from '@lucy/platform';
import type { GatewayConfig } from '../config.js';
import { prepared } from '../persistence/prepared.js';
import type { Role } from './roles.js';

@Injectable()
export class TokenRepository {
  private readonly t: string;

  constructor(@InjectConfig() config: Pick<GatewayConfig, 'DB_SCHEMA'>) {
    this.t = `"${config.DB_SCHEMA}".api_token`;
  }

  /**
   * The environment's admin token under `nombre`, with this hash: a changed one replaces the old one;
   * several replicas starting together insert it once.
   */
  async fijarDelEntorno(m: EntityManager, nombre: string, hash: string): Promise<void> {
    await m.query(
      `UPDATE ${this.t} SET hash = $1 WHERE nombre = $2 AND creado_por = 'entorno' AND revocado_at IS NULL AND hash <> $1`,
      [hash, nombre],
    );
    await m.query(
      `INSERT INTO ${this.t} (id, nombre, rol, hash, creado_por) VALUES ($1, $2, 'admin', $3, 'entorno') ON CONFLICT DO NOTHING`,
      [randomUUID(), nombre, hash],
    );
  }

  /** The new row; a unique violation (23505) when a token in force already has the name. */
  async crear(
    m: EntityManager,
    t: { nombre: string; rol: Role; hash: string; creadoPor: string },
  ): Promise<Record<string, any>> {
    const [row] = await m.query(
      `INSERT INTO ${this.t} (id, nombre, rol, hash, creado_por) VALUES ($1, $2, $3, $4, $5) RETURNING *`,
      [randomUUID(), t.nombre, t.rol, t.hash, t.creadoPor],
    );
    return row;
  }

  listar(m: EntityManager, incluirRevocados: boolean): Promise<Record<string, any>[]> {
    return m.query(
      `SELECT * FROM ${this.t} ${incluirRevocados ? '' : 'WHERE revocado_at IS NULL'} ORDER BY created_at`,
    );
  }

  /** The row, revoked now unless it already was; undefined when there is none. */
  async revocar(m: EntityManager, id: string): Promise<Record<string, any> | undefined> {
    // An UPDATE's answer is [rows, count].
    const [rows] = await m.query(
      `UPDATE ${this.t} SET revocado_at = coalesce(revocado_at, now()) WHERE id = $1 RETURNING *`,
      [id],
    );
    return rows?.length ? rows[0] : undefined;
  }

  /** The token in force with this hash, or undefined: every API request asks, so a prepared statement. */
  async vigente(db: DataSource, hash: string): Promise<{ id: string; nombre: string; rol: Role } | undefined> {
    const [row] = await prepared<{ id: string; nombre: string; rol: Role }>(
      db,
      'gateway-token-vigente',
      `SELECT id, nombre, rol FROM ${this.t} WHERE hash = $1 AND revocado_at IS NULL`,
      [hash],
    );
    return row;
  }

  /** Records a use, at most once a minute per token however busy it is. */
  async marcarUso(m: EntityManager, id: string): Promise<void> {
    await m.query(
      `UPDATE ${this.t} SET usado_at = now() WHERE id = $1 AND (usado_at IS NULL OR usado_at < now() - interval '1 minute')`,
      [id],
    );
  }
}
