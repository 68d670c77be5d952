import { CalendarioInvalido } from './calendario-importacion.js';
import { LectorIcsIcal } from './lector-ics.js';

const cal = (...eventos: string[][]) =>
  [
    'BEGIN:VCALENDAR',
    'VERSION:2.0',
    'PRODID:-//t//t//ES',
    ...eventos.flatMap((e) => ['BEGIN:VEVENT', ...e, 'END:VEVENT']),
    'END:VCALENDAR',
  ].join('\r\n');

const leer = (texto: string) => new LectorIcsIcal().leer(texto);

describe('LectorIcsIcal', () => {
  it('reads all-day events: DTEND is exclusive, one day is a feriado, longer a receso', () => {
    expect(
      leer(
        cal(
          ['UID:1', 'DTSTART;VALUE=DATE:20270525', 'SUMMARY:Revolución de Mayo'],
          [
            'UID:2',
            'DTSTART;VALUE=DATE:20270215',
            'DTEND;VALUE=DATE:20270217',
            'SUMMARY:Carnaval',
            'CATEGORIES:FERIADO',
          ],
          ['UID:3', 'DTSTART;VALUE=DATE:20270712', 'DTEND;VALUE=DATE:20270724', 'SUMMARY:Receso invernal'],
        ),
      ),
    ).toEqual([
      { desde: '2027-05-25', hasta: '2027-05-25', nombre: 'Revolución de Mayo', tipo: 'feriado' },
      { desde: '2027-02-15', hasta: '2027-02-16', nombre: 'Carnaval', tipo: 'feriado' },
      { desde: '2027-07-12', hasta: '2027-07-23', nombre: 'Receso invernal', tipo: 'receso' },
    ]);
  });

  it('takes the days of a timed event, expands a yearly RRULE for five years, and skips cancelled events', () => {
    const p = leer(
      cal(
        ['UID:1', 'DTSTART:20270402T080000', 'DTEND:20270402T200000', 'SUMMARY:Malvinas'],
        ['UID:2', 'DTSTART;VALUE=DATE:20270101', 'RRULE:FREQ=YEARLY', 'SUMMARY:Año Nuevo'],
        ['UID:3', 'DTSTART;VALUE=DATE:20270301', 'STATUS:CANCELLED', 'SUMMARY:Suspendido'],
      ),
    );
    expect(p[0]).toEqual({ desde: '2027-04-02', hasta: '2027-04-02', nombre: 'Malvinas', tipo: 'feriado' });
    expect(p.slice(1).map((x) => x.desde)).toEqual([
      '2027-01-01',
      '2028-01-01',
      '2029-01-01',
      '2030-01-01',
      '2031-01-01',
    ]);
    expect(p.some((x) => x.nombre === 'Suspendido')).toBe(false);
  });

  it('refuses what is not a calendar, an event without DTSTART or SUMMARY (naming its line), and an empty one', () => {
    expect(() => leer('hola')).toThrow(CalendarioInvalido);
    expect(() => leer(cal(['UID:1', 'SUMMARY:x']))).toThrow(/línea 4: el evento no tiene DTSTART/);
    expect(() => leer(cal(['UID:1', 'DTSTART;VALUE=DATE:20270101']))).toThrow(/línea 4: falta el nombre/);
    expect(() => leer(cal())).toThrow(/ningún evento/);
  });
});
