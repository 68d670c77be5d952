// What /metrics says of the onboarding workflows and of the runtime configuration, read from the
// database at scrape time: every gateway replica reports the same figures (queries and alerts take their
// max, not their sum), and they need no bookkeeping in the saga, so a rolled-back transition or a
// redelivered event can never count twice.
import { Injectable } from '@nestjs/common';
import { Gauge } from 'prom-client';
import { DataSource } from 'typeorm';
import { InjectConfig, MetricsService } from '@lucy/platform';
import type { GatewayConfig } from '../config.js';
import { ConfiguracionStore } from '../configuracion/configuracion.store.js';
import { ESTADOS } from '../sagas/onboarding.model.js';

interface Conteo {
  estado: string;
  n: number;
  atascados: number;
}

@Injectable()
export class WorkflowMetrics {
  private readonly tabla: string;

  constructor(
    metrics: MetricsService,
    private readonly db: DataSource,
    store: ConfiguracionStore,
    @InjectConfig() config: Pick<GatewayConfig, 'DB_SCHEMA'>,
  ) {
    this.tabla = `"${config.DB_SCHEMA}".workflow`;
    const registers = [metrics.registry];
    // One query for both gauges of a scrape (prom-client collects them one after the other).
    let leyendo: Promise<Conteo[] | undefined> | undefined;
    const conteos = () =>
      (leyendo ??= this.contar()
        .catch(() => undefined) // no database: the last values stay (health says why)
        .finally(() => setTimeout(() => (leyendo = undefined), 0)));
    new Gauge({
      name: 'lucy_workflows',
      help: 'Onboarding workflows by state (the same figure on every gateway replica: take the max)',
      labelNames: ['estado'],
      registers,
      async collect() {
        const c = await conteos();
        // Every state shown, 0 included: a series that appears with its first workflow breaks rates.
        if (c) for (const estado of ESTADOS) this.set({ estado }, c.find((x) => x.estado === estado)?.n ?? 0);
      },
    });
    new Gauge({
      name: 'lucy_workflows_atascados',
      help: 'Onboarding workflows flagged stuck: past their deadline with no progress',
      registers,
      async collect() {
        const c = await conteos();
        if (c) this.set(c.reduce((n, x) => n + x.atascados, 0));
      },
    });
    const datos = this.db;
    new Gauge({
      name: 'lucy_config_current_version',
      help: "The runtime configuration's current version, as saved through the gateway (services report theirs in lucy_config_version)",
      registers,
      async collect() {
        const version = await store.versionActual(datos).catch(() => undefined);
        if (version !== undefined) this.set(version);
      },
    });
  }

  private async contar(): Promise<Conteo[]> {
    return this.db.query(
      `SELECT estado, count(*)::int AS n, (count(*) FILTER (WHERE atascado))::int AS atascados
         FROM ${this.tabla} WHERE tipo = 'onboarding' GROUP BY estado`,
    );
  }
}
