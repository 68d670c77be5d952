// The runtime configuration, versioned in the gateway's database: every change is a new row (who, when,
// why, which keys changed, which keys an operator has set: fijadas.ts), and goes out in the same
// transaction as ConfiguracionCambiada (and LimitesCambiados for each API whose limits changed, which
// libs/resilience already applies in every service).
//
// The current version is announced again when the gateway starts (every replica) and on an operator's
// demand: a service whose control queue did not exist when a version went out (a new deployment) would
// otherwise never get it. The same version number, so a service that has it ignores it.
import { ConflictException, Injectable, Logger, NotFoundException, type OnApplicationBootstrap } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { DataSource, type EntityManager } from 'typeorm';
import { ConfiguracionCambiada, LimitesCambiados, type Configuracion } from '@lucy/contracts';
import { MessagingRuntime, type TransactionScope } from '@lucy/messaging';
import { InjectConfig, invalidInput } from '@lucy/platform';
import type { GatewayConfig } from '../config.js';
import { ServiceReader } from '../dashboard/service.reader.js';
import { TareaService } from '../tareas/tarea.service.js';
import { AuditoriaRepository } from '../workflows/auditoria.repository.js';
import { aplicacionDe, SERVICIOS_CON_CLAVES, type AplicacionServicio } from './aplicacion.js';
import { ConfiguracionStore, type FilaConfiguracion } from './configuracion.store.js';
import { cambiosEntre, DEFECTO } from './configuracion.schema.js';
import { diferencia, fijadasTras, NO_SE_SUELTAN, sinEfecto } from './fijadas.js';

export interface VersionConfiguracion {
  version: number;
  valores: Configuracion;
  cambios: string[];
  /** The keys an operator has set (and not given back); the services keep their environment for the others. */
  fijadas: string[];
  cambiadoPor: string;
  motivo: string | null;
  at: string | null;
}

const version = (r: FilaConfiguracion): VersionConfiguracion => ({
  version: r.version,
  valores: r.valores,
  cambios: r.cambios,
  fijadas: r.fijadas,
  cambiadoPor: r.cambiado_por,
  motivo: r.motivo,
  at: r.created_at.toISOString(),
});

/** Version 0: nothing stored yet; each service runs on its environment, whose defaults these are. */
const INICIAL: VersionConfiguracion = {
  version: 0,
  valores: DEFECTO,
  cambios: [],
  fijadas: [],
  cambiadoPor: 'predeterminado',
  motivo: null,
  at: null,
};

/** How long GET /config waits for a service to say which version it applies. */
const APLICACION_TIMEOUT_MS = 1500;

@Injectable()
export class ConfiguracionService implements OnApplicationBootstrap {
  private readonly log = new Logger('Configuracion');

  constructor(
    @InjectConfig() private readonly config: GatewayConfig,
    private readonly auditoria: AuditoriaRepository,
    private readonly db: DataSource,
    private readonly messaging: MessagingRuntime,
    private readonly tareas: TareaService,
    private readonly servicios: ServiceReader,
    private readonly store: ConfiguracionStore,
  ) {}

  /** Nest runs this after the messaging runtime started (an imported module's hooks run first). */
  async onApplicationBootstrap(): Promise<void> {
    try {
      const v = await this.conActual(async (v) => v, `config-arranque-${randomUUID()}`);
      if (v)
        this.log.log(
          { version: v.version, fijadas: v.fijadas },
          'current configuration announced again for services that may have missed it',
        );
    } catch (err) {
      // Not a reason to refuse to start: an operator can announce it with POST /api/v1/config/republicar.
      this.log.warn({ err: (err as Error).message }, 'could not announce the current configuration again');
    }
  }

  /** The current version; `m`: read in that transaction (a caller holding a connection takes no other). */
  async actual(m?: EntityManager): Promise<VersionConfiguracion> {
    const row = await this.store.leer(m ?? this.db);
    return row ? version(row) : INICIAL;
  }

  /**
   * The current version and, for each service that owns keys, the version it applies and the keys it
   * refused. The services are asked first: one that applied a change made meanwhile is then not shown
   * ahead of the version read.
   */
  async actualConAplicacion(): Promise<VersionConfiguracion & { aplicacion: AplicacionServicio[] }> {
    const salud = await Promise.all(SERVICIOS_CON_CLAVES.map((s) => this.servicios.salud(s, APLICACION_TIMEOUT_MS)));
    const actual = await this.actual();
    return { ...actual, aplicacion: SERVICIOS_CON_CLAVES.map((s, i) => aplicacionDe(s, salud[i]!, actual.version)) };
  }

  async version(n: number): Promise<VersionConfiguracion> {
    if (n === 0) return INICIAL;
    const row = await this.store.leer(this.db, n);
    if (!row) throw new NotFoundException(`no existe la versión ${n} de la configuración`);
    return version(row);
  }

  async versiones(limit: number, offset: number) {
    const total = await this.store.contar(this.db);
    const filas = await this.store.historial(this.db, limit, offset);
    return {
      total,
      limit,
      offset,
      items: filas.map((r) => ({
        version: r.version,
        cambios: r.cambios,
        fijadas: r.fijadas,
        fijadasNuevas: r.fijadasNuevas,
        soltadas: r.soltadas,
        cambiadoPor: r.cambiado_por,
        motivo: r.motivo,
        at: r.created_at.toISOString(),
      })),
    };
  }

  /** An operator announces the current version again: recorded in the audit trail and as a tarea. */
  async republicar(actor: string): Promise<{ version: number; fijadas: string[]; tareaId: string }> {
    const correlationId = `config-republicar-${randomUUID()}`;
    const r = await this.conActual(async (v, manager) => {
      await this.auditoria.registrar(manager, {
        evento: 'accion.republicar-configuracion',
        actor,
        correlationId,
        detalle: { version: v.version, fijadas: v.fijadas },
      });
      const tareaId = await this.tareas.registrar(
        {
          tipo: 'configuracion',
          actor,
          estado: 'completada',
          total: 1,
          exitosos: 1,
          detalle: { version: v.version, republicada: true },
        },
        manager,
      );
      return { version: v.version, fijadas: v.fijadas, tareaId };
    }, correlationId);
    if (!r)
      throw new ConflictException(
        'no hay ninguna versión guardada de la configuración: los servicios usan su entorno y no hay nada que publicar',
      );
    return r;
  }

  /**
   * Announces the current version again, as it was stored (same number, author and keys set), and runs
   * `work` in the same transaction. Undefined at version 0: nothing to announce.
   */
  private conActual<T>(
    work: (v: VersionConfiguracion, manager: EntityManager) => Promise<T>,
    correlationId: string,
  ): Promise<T | undefined> {
    return this.messaging.inTransaction(
      async ({ manager, publish }) => {
        // Under the lock a change takes: what goes out is the newest version, not one being replaced.
        await this.bloquear(manager);
        const row = await this.store.leer(manager);
        if (!row) return undefined;
        const v = version(row);
        this.anunciar(publish, v);
        return work(v, manager);
      },
      { correlationId },
    );
  }

  /** One change (or announcement) at a time, across replicas: the next version number is read under it. */
  private bloquear(manager: EntityManager): Promise<unknown> {
    return this.store.bloquear(manager);
  }

  private anunciar(publish: TransactionScope['publish'], v: VersionConfiguracion): void {
    publish(ConfiguracionCambiada, {
      version: v.version,
      valores: v.valores,
      cambios: v.cambios,
      fijadas: v.fijadas,
      cambiadoPor: v.cambiadoPor,
    });
  }

  /**
   * Stores the next version and announces it. `valores`: the whole configuration, or how to make it from
   * the current one (read under the lock: two PATCHes of different keys at once both stay). The keys set
   * grow by the keys whose value changed and by `fijar` (the keys an operator named). `versionBase`,
   * when given, must be the current version (two editors do not overwrite each other unknowingly).
   * Nothing stored when neither a value nor the keys set change.
   */
  cambiar(
    valores: Configuracion | ((actual: Configuracion) => Configuracion),
    actor: string,
    opts: {
      motivo?: string;
      versionBase?: number;
      fijar?: readonly string[];
      /** More writes in the same transaction (a job's own settings beside its cron: all or nothing). */
      enTransaccion?: (m: EntityManager) => Promise<void>;
    } = {},
  ): Promise<VersionConfiguracion & { sinCambios: boolean }> {
    return this.nuevaVersion(actor, opts, (previa) => {
      const nuevos = typeof valores === 'function' ? valores(previa.valores) : valores;
      const cambios = cambiosEntre(previa.valores, nuevos);
      return { valores: nuevos, cambios, fijadas: fijadasTras(previa.fijadas, cambios, opts.fijar) };
    });
  }

  /**
   * Gives `clave` back to the services' environment: a new version with the same values whose keys set
   * lack it. 404 for a key the configuration does not have; 400 for one that is not set, or that cannot
   * go back (NO_SE_SUELTAN).
   */
  soltar(
    clave: string,
    actor: string,
    opts: { motivo?: string } = {},
  ): Promise<VersionConfiguracion & { sinCambios: boolean }> {
    if (!Object.hasOwn(DEFECTO, clave))
      throw new NotFoundException(
        `la configuración no tiene la clave ${clave} (claves: ${Object.keys(DEFECTO).join(', ')})`,
      );
    if (Object.hasOwn(NO_SE_SUELTAN, clave))
      throw invalidInput('ruta', [
        { campo: 'clave', mensaje: `${clave} no puede volver al entorno: ${NO_SE_SUELTAN[clave]}` },
      ]);
    return this.nuevaVersion(actor, opts, (previa) => {
      if (!previa.fijadas.includes(clave)) {
        throw invalidInput('ruta', [
          {
            campo: 'clave',
            mensaje: `${clave} no está fijada en la versión ${previa.version}: los servicios ya usan el valor de su entorno para ella`,
          },
        ]);
      }
      return { valores: previa.valores, cambios: [], fijadas: previa.fijadas.filter((k) => k !== clave) };
    });
  }

  /** Under the lock: the next version from the current one (`siguiente`), stored, announced, audited. */
  private nuevaVersion(
    actor: string,
    opts: { motivo?: string; versionBase?: number; enTransaccion?: (m: EntityManager) => Promise<void> },
    siguiente: (previa: VersionConfiguracion) => { valores: Configuracion; cambios: string[]; fijadas: string[] },
  ): Promise<VersionConfiguracion & { sinCambios: boolean }> {
    return this.messaging.inTransaction(
      async ({ manager, publish }) => {
        await this.bloquear(manager);
        const row = await this.store.leer(manager);
        const previa = row ? version(row) : INICIAL;
        if (opts.versionBase !== undefined && opts.versionBase !== previa.version) {
          throw new ConflictException(
            `la configuración cambió: estás editando la versión ${opts.versionBase} y la actual es la ${previa.version}; recargala y repetí el cambio`,
          );
        }
        const { valores, cambios, fijadas } = siguiente(previa);
        await opts.enTransaccion?.(manager);
        if (sinEfecto(cambios, previa.fijadas, fijadas)) return { ...previa, sinCambios: true };
        const n = previa.version + 1;
        const v = version({
          ...(await this.store.insertar(manager, {
            version: n,
            valores,
            cambios,
            fijadas,
            cambiadoPor: actor,
            motivo: opts.motivo ?? null,
          })),
          fijadas,
        });
        // A version that only sets or gives back keys goes out too: a service applies the new keys set.
        this.anunciar(publish, v);
        const { fijadasNuevas, soltadas } = diferencia(previa.fijadas, fijadas);
        // Limits reach the services as LimitesCambiados, not through fijadas: those that changed and, when
        // limites is set with the values it had (PATCH, import), all of them, since until then each service
        // ran its own.
        const todos = fijadasNuevas.includes('limites') && !cambios.includes('limites');
        if (todos || cambios.includes('limites')) {
          for (const api of ['graph', 'moodle', 'smtp'] as const) {
            const antes = previa.valores.limites[api];
            const ahora = valores.limites[api];
            if (!todos && JSON.stringify(antes) === JSON.stringify(ahora)) continue;
            publish(LimitesCambiados, {
              api,
              rpm: ahora.rpm,
              ...('writeRpm' in ahora ? { writeRpm: ahora.writeRpm } : {}),
            });
          }
        }
        const tocadas = new Set([...cambios, ...fijadasNuevas, ...soltadas]).size;
        await this.auditoria.registrar(manager, {
          evento: 'accion.configuracion',
          actor,
          correlationId: `config-${n}`,
          detalle: { version: n, cambios, fijadasNuevas, soltadas, motivo: opts.motivo },
        });
        await this.tareas.registrar(
          {
            tipo: 'configuracion',
            actor,
            estado: 'completada',
            total: tocadas,
            exitosos: tocadas,
            detalle: { version: n, cambios, fijadasNuevas, soltadas },
          },
          manager,
        );
        return { ...v, sinCambios: false };
      },
      { correlationId: `config-${randomUUID()}` },
    );
  }
}
