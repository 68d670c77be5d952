// The academic calendar from an iCalendar file (RFC 5545), read with ical.js (Mozilla's parser, no
// dependencies): what a university's calendar, Google Calendar or Outlook export. Each VEVENT is a period:
// DTSTART → desde; DTEND is exclusive (RFC 5545 §3.6.1), so hasta is the day before it (an all-day event
// without DTEND is one day); SUMMARY → nombre; one day → feriado, longer → receso (a CATEGORIES of
// FERIADO or RECESO says so instead). A yearly holiday written once with an RRULE is expanded for
// ANIOS_RECURRENCIA years from its first date. Times of day are dropped: a period is whole days, as the
// calendar keeps them. Cancelled events (STATUS:CANCELLED) are not periods.
import ICAL from 'ical.js';
import type { PeriodoNoLaborable } from '../trabajos/agenda.js';
import { CalendarioInvalido, MAX_PERIODOS, periodoDe, type LectorIcs } from './calendario-importacion.js';

const ANIOS_RECURRENCIA = 5;

type Tiempo = InstanceType<typeof ICAL.Time>;

const dia = (t: Tiempo) =>
  `${String(t.year).padStart(4, '0')}-${String(t.month).padStart(2, '0')}-${String(t.day).padStart(2, '0')}`;

/** The last day an event covers: DTEND exclusive, so the day before — unless it ends later that day. */
function ultimoDia(inicio: Tiempo, fin: Tiempo | null): string {
  if (!fin || fin.compare(inicio) <= 0) return dia(inicio);
  const f = fin.clone();
  if (f.isDate || (f.hour === 0 && f.minute === 0 && f.second === 0)) f.day -= 1;
  const d = dia(f);
  return d < dia(inicio) ? dia(inicio) : d;
}

/** The line each VEVENT starts on, in order, to name it in an error. */
function lineasDeEventos(texto: string): number[] {
  const lineas: number[] = [];
  texto.split(/\r?\n/).forEach((l, i) => {
    if (/^BEGIN:VEVENT\s*$/i.test(l)) lineas.push(i + 1);
  });
  return lineas;
}

export class LectorIcsIcal implements LectorIcs {
  leer(texto: string): PeriodoNoLaborable[] {
    let raiz: InstanceType<typeof ICAL.Component>;
    try {
      raiz = new ICAL.Component(ICAL.parse(texto.replace(/^\uFEFF/, '')) as unknown[]);
    } catch (err) {
      throw new CalendarioInvalido(null, `iCalendar ilegible: ${(err as Error).message}`);
    }
    if (raiz.name !== 'vcalendar') throw new CalendarioInvalido(1, 'el archivo no es un VCALENDAR');
    const lineas = lineasDeEventos(texto);
    const periodos: PeriodoNoLaborable[] = [];
    raiz.getAllSubcomponents('vevent').forEach((vevent, i) => {
      const linea = lineas[i] ?? null;
      if (String(vevent.getFirstPropertyValue('status') ?? '').toUpperCase() === 'CANCELLED') return;
      const evento = new ICAL.Event(vevent);
      if (!vevent.hasProperty('dtstart')) throw new CalendarioInvalido(linea, 'el evento no tiene DTSTART');
      const categorias = vevent
        .getAllProperties('categories')
        .flatMap((p) => p.getValues().map((v) => String(v).toLowerCase()));
      const tipoDe = (desde: string, hasta: string) =>
        categorias.includes('receso')
          ? 'receso'
          : categorias.includes('feriado') || desde === hasta
            ? 'feriado'
            : 'receso';
      const agregar = (inicio: Tiempo, fin: Tiempo | null) => {
        const desde = dia(inicio);
        const hasta = ultimoDia(inicio, fin);
        periodos.push(periodoDe({ desde, hasta, nombre: evento.summary ?? '', tipo: tipoDe(desde, hasta) }, linea));
        if (periodos.length > MAX_PERIODOS)
          throw new CalendarioInvalido(null, `el archivo tiene más de ${MAX_PERIODOS} períodos`);
      };
      const inicio = evento.startDate;
      const fin = vevent.hasProperty('dtend') || vevent.hasProperty('duration') ? evento.endDate : null;
      if (!evento.isRecurring()) return agregar(inicio, fin);
      const duracion = fin ? fin.subtractDate(inicio) : null;
      const limite = inicio.clone();
      limite.year += ANIOS_RECURRENCIA;
      const it = evento.iterator();
      for (let t = it.next(); t && t.compare(limite) < 0; t = it.next()) {
        const f = duracion ? t.clone() : null;
        if (f && duracion) f.addDuration(duracion);
        agregar(t, f);
      }
    });
    if (!periodos.length) throw new CalendarioInvalido(null, 'el archivo no tiene ningún evento (VEVENT)');
    return periodos;
  }
}
