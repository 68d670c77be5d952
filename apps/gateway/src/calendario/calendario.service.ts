// The academic calendar: holidays and recesses a job with saltarFeriados skips (in its own zone). Every
// change is written with its audit entry and tarea in one transaction; an import is checked whole first
// and written whole, or not at all.
import { Injectable, NotFoundException, UnsupportedMediaTypeException } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { invalidInput } from '@lucy/platform';
import { TareaService } from '../tareas/tarea.service.js';
import type { PeriodoNoLaborable } from '../trabajos/agenda.js';
import { AuditoriaRepository } from '../workflows/auditoria.repository.js';
import { CalendarioInvalido, leerCsvCalendario, type LectorIcs } from './calendario-importacion.js';
import { LectorIcsIcal } from './lector-ics.js';
import { CalendarioRepository } from './calendario.repository.js';

@Injectable()
export class CalendarioService {
  /** The iCalendar reader (ical.js); a test may put another. */
  lectorIcs: LectorIcs | undefined = new LectorIcsIcal();

  constructor(
    private readonly db: DataSource,
    private readonly repo: CalendarioRepository,
    private readonly auditoria: AuditoriaRepository,
    private readonly tareas: TareaService,
  ) {}

  async listar(anio?: number) {
    const items = await this.repo.listar(this.db, anio);
    return { anio: anio ?? null, items };
  }

  async uno(id: string) {
    const p = await this.repo.uno(this.db, id);
    if (!p) throw new NotFoundException(`no existe el período ${id} del calendario`);
    return p;
  }

  crear(p: PeriodoNoLaborable, actor: string) {
    return this.enTransaccion(actor, 'crear', async (m) => {
      const creado = await this.repo.insertar(m, p, actor);
      return { resultado: creado, detalle: { periodo: creado } };
    });
  }

  reemplazar(id: string, p: PeriodoNoLaborable, actor: string) {
    return this.enTransaccion(actor, 'modificar', async (m) => {
      const antes = await this.repo.uno(m, id);
      const despues = await this.repo.actualizar(m, id, p);
      if (!despues) throw new NotFoundException(`no existe el período ${id} del calendario`);
      return { resultado: despues, detalle: { antes, despues } };
    });
  }

  borrar(id: string, actor: string) {
    return this.enTransaccion(actor, 'borrar', async (m) => {
      const borrado = await this.repo.borrar(m, id);
      if (!borrado) throw new NotFoundException(`no existe el período ${id} del calendario`);
      return { resultado: borrado, detalle: { periodo: borrado } };
    });
  }

  /**
   * Imports a CSV or iCalendar file's periods. A period already there (same dates and name) is not added
   * again; `reemplazar`: the years the file covers are emptied first (the file is then those years'
   * calendar). A file with any bad line → 400 naming it, and nothing changes.
   */
  async importar(i: { formato: 'csv' | 'ics'; contenido: string; reemplazar: boolean }, actor: string) {
    let periodos: PeriodoNoLaborable[];
    try {
      if (i.formato === 'ics') {
        if (!this.lectorIcs)
          throw new UnsupportedMediaTypeException(
            'la importación de iCalendar (.ics) todavía no está disponible en este sitio: exportá el calendario como CSV (desde, hasta, nombre, tipo)',
          );
        periodos = this.lectorIcs.leer(i.contenido);
      } else {
        periodos = leerCsvCalendario(i.contenido);
      }
    } catch (err) {
      if (err instanceof CalendarioInvalido)
        throw invalidInput('archivo', [
          { campo: err.linea ? `linea ${err.linea}` : 'contenido', mensaje: err.message },
        ]);
      throw err;
    }
    const anios = [
      ...new Set(periodos.flatMap((p) => [Number(p.desde.slice(0, 4)), Number(p.hasta.slice(0, 4))])),
    ].sort();
    return this.enTransaccion(actor, 'importar', async (m) => {
      let borrados = 0;
      if (i.reemplazar) {
        const [, n] = await m.query(
          `DELETE FROM ${this.repo.t} WHERE extract(year FROM desde)::int = ANY($1) OR extract(year FROM hasta)::int = ANY($1)`,
          [anios],
        );
        borrados = n;
      }
      let agregados = 0;
      for (const p of periodos) {
        if (await this.repo.existe(m, p)) continue;
        await this.repo.insertar(m, p, actor);
        agregados++;
      }
      const resultado = {
        formato: i.formato,
        leidos: periodos.length,
        agregados,
        repetidos: periodos.length - agregados,
        borrados,
        anios,
      };
      return { resultado, detalle: resultado };
    });
  }

  private enTransaccion<T>(
    actor: string,
    operacion: string,
    trabajo: (m: EntityManager) => Promise<{ resultado: T; detalle: Record<string, unknown> }>,
  ): Promise<T> {
    return this.db.transaction(async (m) => {
      const { resultado, detalle } = await trabajo(m);
      await this.auditoria.registrar(m, {
        evento: 'accion.calendario',
        actor,
        correlationId: `calendario-${operacion}`,
        detalle: { operacion, ...detalle },
      });
      await this.tareas.registrar(
        {
          tipo: 'configuracion',
          actor,
          estado: 'completada',
          total: 1,
          exitosos: 1,
          detalle: { calendario: operacion, ...detalle },
        },
        m,
      );
      return resultado;
    });
  }
}
