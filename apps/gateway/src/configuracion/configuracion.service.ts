// The runtime configuration, versioned in the gateway's database: every change is a new row (who, when,
// why, which keys), and goes out in the same transaction as ConfiguracionCambiada (and LimitesCambiados
// for each API whose limits changed, which libs/resilience already applies in every service).
import { ConflictException, Injectable, NotFoundException } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { ConfiguracionCambiada, LimitesCambiados, type Configuracion } from '@lucy/contracts';
import { MessagingRuntime } from '@lucy/messaging';
import { InjectConfig } from '@lucy/platform';
import type { GatewayConfig } from '../config.js';
import { TareaService } from '../tareas/tarea.service.js';
import { registrar } from '../workflows/auditoria.js';
import { cambiosEntre, DEFECTO } from './configuracion.schema.js';

export interface VersionConfiguracion {
  version: number;
  valores: Configuracion;
  cambios: string[];
  cambiadoPor: string;
  motivo: string | null;
  at: string | null;
}

const version = (r: Record<string, any>): VersionConfiguracion => ({
  version: r.version,
  valores: r.valores,
  cambios: r.cambios,
  cambiadoPor: r.cambiado_por,
  motivo: r.motivo,
  at: r.created_at.toISOString(),
});

/** Version 0: nothing stored yet; each service runs on its environment, whose defaults these are. */
const INICIAL: VersionConfiguracion = { version: 0, valores: DEFECTO, cambios: [], cambiadoPor: 'predeterminado', motivo: null, at: null };

@Injectable()
export class ConfiguracionService {
  private readonly t: string;

  constructor(
    @InjectConfig() private readonly config: GatewayConfig,
    private readonly db: DataSource,
    private readonly messaging: MessagingRuntime,
    private readonly tareas: TareaService,
  ) {
    this.t = `"${config.DB_SCHEMA}".configuracion`;
  }

  async actual(): Promise<VersionConfiguracion> {
    const [row] = await this.db.query(`SELECT * FROM ${this.t} ORDER BY version DESC LIMIT 1`);
    return row ? version(row) : INICIAL;
  }

  async version(n: number): Promise<VersionConfiguracion> {
    if (n === 0) return INICIAL;
    const [row] = await this.db.query(`SELECT * FROM ${this.t} WHERE version = $1`, [n]);
    if (!row) throw new NotFoundException(`no existe la versión ${n} de la configuración`);
    return version(row);
  }

  async versiones(limit: number, offset: number) {
    const [{ total }] = await this.db.query(`SELECT count(*)::int AS total FROM ${this.t}`);
    const rows = await this.db.query(`SELECT version, cambios, cambiado_por, motivo, created_at FROM ${this.t} ORDER BY version DESC LIMIT $1 OFFSET $2`, [limit, offset]);
    return { total, limit, offset, items: rows.map((r: Record<string, any>) => ({ version: r.version, cambios: r.cambios, cambiadoPor: r.cambiado_por, motivo: r.motivo, at: r.created_at.toISOString() })) };
  }

  /**
   * Stores `valores` as the next version and announces it. `versionBase`, when given, must be the current
   * version (two editors do not overwrite each other unknowingly). Identical values store nothing.
   */
  async cambiar(valores: Configuracion, actor: string, opts: { motivo?: string; versionBase?: number } = {}): Promise<VersionConfiguracion & { sinCambios: boolean }> {
    return this.messaging.inTransaction(async ({ manager, publish }) => {
      // One change at a time, across replicas: the next version number is read under this lock.
      await manager.query(`SELECT pg_advisory_xact_lock(hashtext($1))`, [this.t]);
      const [row] = await manager.query(`SELECT * FROM ${this.t} ORDER BY version DESC LIMIT 1`);
      const previa = row ? version(row) : INICIAL;
      if (opts.versionBase !== undefined && opts.versionBase !== previa.version) {
        throw new ConflictException(`la configuración cambió: estás editando la versión ${opts.versionBase} y la actual es la ${previa.version}; recargala y repetí el cambio`);
      }
      const cambios = cambiosEntre(previa.valores, valores);
      if (!cambios.length) return { ...previa, sinCambios: true };
      const n = previa.version + 1;
      const [nueva] = await manager.query(
        `INSERT INTO ${this.t} (version, valores, cambios, cambiado_por, motivo) VALUES ($1, $2, $3, $4, $5) RETURNING *`,
        [n, JSON.stringify(valores), JSON.stringify(cambios), actor, opts.motivo ?? null],
      );
      publish(ConfiguracionCambiada, { version: n, valores, cambios, cambiadoPor: actor });
      if (cambios.includes('limites')) {
        for (const api of ['graph', 'moodle', 'smtp'] as const) {
          const antes = previa.valores.limites[api];
          const ahora = valores.limites[api];
          if (JSON.stringify(antes) === JSON.stringify(ahora)) continue;
          publish(LimitesCambiados, { api, rpm: ahora.rpm, ...('writeRpm' in ahora ? { writeRpm: ahora.writeRpm } : {}) });
        }
      }
      await registrar(manager, this.config.DB_SCHEMA, { evento: 'accion.configuracion', actor, correlationId: `config-${n}`, detalle: { version: n, cambios, motivo: opts.motivo } });
      await this.tareas.registrar({ tipo: 'configuracion', actor, estado: 'completada', total: cambios.length, exitosos: cambios.length, detalle: { version: n, cambios } }, manager);
      return { ...version(nueva), sinCambios: false };
    }, { correlationId: `config-${randomUUID()}` });
  }
}
