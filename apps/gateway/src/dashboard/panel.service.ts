// The dashboard's picture of every service. Gathered on demand, not on a timer: while someone watches
// (the live stream asks every few seconds) each picture also keeps a sample of the counters, and the
// rates come from those samples; when nobody watches, the gateway does nothing for the dashboard.
// Concurrent viewers share one gathering (a picture younger than FRESCO_MS is served as it is).
import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { InjectConfig } from '@lucy/platform';
import type { GatewayConfig } from '../config.js';
import { ConfiguracionStore } from '../configuracion/configuracion.store.js';
import { QueueReader } from './queue.reader.js';
import type { Counters } from './scraped-metrics.js';
import { resumirServicio, type ServicioPanel } from './resumen.js';
import { ServiceReader } from './service.reader.js';

export interface Panel {
  at: string;
  /** The gateway's current runtime configuration version; null when it could not be read. */
  configuracion: { version: number } | null;
  servicios: ServicioPanel[];
}

const FRESCO_MS = 1500;
/** Samples kept per service: a little more than the one-minute window the rates are measured over. */
const HISTORIAL_MS = 75_000;

@Injectable()
export class PanelService {
  private ultimo?: { at: number; panel: Panel };
  private enCurso?: Promise<Panel>;
  private readonly muestras = new Map<string, Counters[]>();

  constructor(
    @InjectConfig() private readonly config: GatewayConfig,
    private readonly servicios: ServiceReader,
    private readonly colas: QueueReader,
    private readonly db: DataSource,
    private readonly store: ConfiguracionStore,
  ) {}

  actual(): Promise<Panel> {
    if (this.ultimo && Date.now() - this.ultimo.at < FRESCO_MS) return Promise.resolve(this.ultimo.panel);
    this.enCurso ??= this.reunir().finally(() => (this.enCurso = undefined));
    return this.enCurso;
  }

  private async reunir(): Promise<Panel> {
    const leidos = await Promise.all(
      this.config.SERVICES.map(async (servicio) => {
        const [salud, colas, contadores] = await Promise.all([
          this.servicios.salud(servicio),
          this.colas.de(servicio),
          this.servicios.contadores(servicio),
        ]);
        return { servicio, salud, colas, muestras: this.anotar(servicio, contadores) };
      }),
    );
    // Read after the services, so one that applied a change made meanwhile is not shown ahead of it.
    // Without the database their health is still worth showing; only "up to date" is unknown.
    const version = await this.store.versionActual(this.db).catch(() => null);
    const servicios = leidos.map((l) =>
      resumirServicio(l.servicio, this.servicios.urls[l.servicio]!, l.salud, l.colas, l.muestras, version),
    );
    const panel = { at: new Date().toISOString(), configuracion: version === null ? null : { version }, servicios };
    this.ultimo = { at: Date.now(), panel };
    return panel;
  }

  private anotar(servicio: string, c: Counters | undefined): Counters[] {
    const ahora = Date.now();
    const lista = (this.muestras.get(servicio) ?? []).filter((m) => ahora - m.at <= HISTORIAL_MS);
    if (c) lista.push(c);
    this.muestras.set(servicio, lista);
    return lista;
  }
}
