// The dashboard's picture of every service. Gathered on demand, not on a timer: while someone watches
// (the live stream asks every few seconds) each picture also keeps a sample of the counters, and the
// rates come from those samples; when nobody watches, the gateway does nothing for the dashboard.
// Concurrent viewers share one gathering (a picture younger than FRESCO_MS is served as it is).
import { Injectable } from '@nestjs/common';
import { InjectConfig } from '@lucy/platform';
import type { GatewayConfig } from '../config.js';
import { ColasLector } from './colas.lector.js';
import type { Contadores } from './metricas.js';
import { resumirServicio, type ServicioPanel } from './resumen.js';
import { ServicioLector } from './servicio.lector.js';

export interface Panel {
  at: string;
  servicios: ServicioPanel[];
}

const FRESCO_MS = 1500;
/** Samples kept per service: a little more than the one-minute window the rates are measured over. */
const HISTORIAL_MS = 75_000;

@Injectable()
export class PanelService {
  private ultimo?: { at: number; panel: Panel };
  private enCurso?: Promise<Panel>;
  private readonly muestras = new Map<string, Contadores[]>();

  constructor(
    @InjectConfig() private readonly config: GatewayConfig,
    private readonly servicios: ServicioLector,
    private readonly colas: ColasLector,
  ) {}

  actual(): Promise<Panel> {
    if (this.ultimo && Date.now() - this.ultimo.at < FRESCO_MS) return Promise.resolve(this.ultimo.panel);
    this.enCurso ??= this.reunir().finally(() => (this.enCurso = undefined));
    return this.enCurso;
  }

  private async reunir(): Promise<Panel> {
    const servicios = await Promise.all(
      this.config.SERVICES.map(async (servicio) => {
        const [salud, colas, contadores] = await Promise.all([this.servicios.salud(servicio), this.colas.de(servicio), this.servicios.contadores(servicio)]);
        return resumirServicio(servicio, this.servicios.urls[servicio]!, salud, colas, this.anotar(servicio, contadores));
      }),
    );
    const panel = { at: new Date().toISOString(), servicios };
    this.ultimo = { at: Date.now(), panel };
    return panel;
  }

  private anotar(servicio: string, c: Contadores | undefined): Contadores[] {
    const ahora = Date.now();
    const lista = (this.muestras.get(servicio) ?? []).filter((m) => ahora - m.at <= HISTORIAL_MS);
    if (c) lista.push(c);
    this.muestras.set(servicio, lista);
    return lista;
  }
}
