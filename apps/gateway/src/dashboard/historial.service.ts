// The last hour for the Servicios page's two small charts: students onboarded per minute, and the
// messages waiting in each service's queues.
//
// Two sources, each the simplest honest one for its figure:
// - onboardings come from the database (workflows that finished completed, per minute): the same on every
//   gateway replica, and whole after a restart, with nothing kept anywhere;
// - queue depth has no history anywhere but in the broker's present, so each gateway process samples it
//   once a minute (the same count the service table shows) and keeps the last 60 samples in memory. A
//   replica started a moment ago has a short chart; that is what it honestly knows. One sample a minute
//   is a handful of queue checks, cheap enough to run whether or not anyone watches.
import { Injectable, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { InjectConfig } from '@lucy/platform';
import type { GatewayConfig } from '../config.js';
import { QueueReader } from './queue.reader.js';

export const MINUTOS = 60;
const MUESTREO_MS = 60_000;

export interface MuestraColas {
  at: string;
  /** Messages ready in each service's queues (its own and its control queue); null: not known. */
  porServicio: Record<string, number | null>;
  enCola: number;
  aparcados: number;
}

export interface Historial {
  at: string;
  /** One point per minute of the last hour, oldest first, zero-filled. */
  incorporaciones: { at: string; alumnos: number }[];
  /** Up to one sample per minute of the last hour, oldest first. */
  colas: MuestraColas[];
}

@Injectable()
export class HistorialService implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly muestras: MuestraColas[] = [];
  private timer?: NodeJS.Timeout;

  constructor(
    @InjectConfig() private readonly config: GatewayConfig,
    private readonly colas: QueueReader,
    private readonly db: DataSource,
  ) {}

  onApplicationBootstrap(): void {
    // One sample at start, so a chart has a point before the first minute has passed.
    void this.muestrear();
    this.timer = setInterval(() => void this.muestrear(), MUESTREO_MS);
    this.timer.unref();
  }

  onModuleDestroy(): void {
    clearInterval(this.timer);
  }

  async actual(): Promise<Historial> {
    return {
      at: new Date().toISOString(),
      incorporaciones: await this.incorporaciones(),
      colas: [...this.muestras],
    };
  }

  /** Takes one sample of every service's queues; exposed so a test need not wait a minute. */
  async muestrear(): Promise<void> {
    const porServicio: Record<string, number | null> = {};
    let enCola = 0;
    let aparcados = 0;
    await Promise.all(
      this.config.SERVICES.map(async (servicio) => {
        const colas = await this.colas.de(servicio);
        const conocidas = colas.filter((c) => c.mensajes !== null);
        porServicio[servicio] = conocidas.length ? conocidas.reduce((n, c) => n + c.mensajes!, 0) : null;
        enCola += porServicio[servicio] ?? 0;
        aparcados += colas.reduce((n, c) => n + (c.aparcados ?? 0), 0);
      }),
    );
    this.muestras.push({ at: new Date().toISOString(), porServicio, enCola, aparcados });
    this.muestras.splice(0, Math.max(0, this.muestras.length - MINUTOS));
  }

  /** Minutes by the database's clock, zero-filled there: no skew between its clock and this process's. */
  private async incorporaciones(): Promise<Historial['incorporaciones']> {
    const filas: { minuto: Date; n: number }[] = await this.db.query(
      `SELECT m AS minuto, count(w.id)::int AS n
         FROM generate_series(date_trunc('minute', now()) - interval '${MINUTOS - 1} minutes', date_trunc('minute', now()), interval '1 minute') m
         LEFT JOIN "${this.config.DB_SCHEMA}".workflow w
           ON w.tipo = 'onboarding' AND w.estado IN ('completado', 'completado_con_avisos')
          AND w.finished_at >= m AND w.finished_at < m + interval '1 minute'
        GROUP BY m ORDER BY m`,
    );
    return filas.map((f) => ({ at: new Date(f.minuto).toISOString(), alumnos: f.n }));
  }
}
