import { cronDe, horaLocal } from '../scheduler/cron.js';
import { estadoDe, fechaLocal, inicioDelDia, omisionDe, proximasDe, type PeriodoNoLaborable } from './agenda.js';

const CORDOBA = 'America/Argentina/Cordoba';
const SANTIAGO = 'America/Santiago';
const sinLimites = { validDesde: null, validHasta: null };
const navidad: PeriodoNoLaborable = { desde: '2027-12-25', hasta: '2027-12-25', nombre: 'Navidad', tipo: 'feriado' };
const invierno: PeriodoNoLaborable = {
  desde: '2027-07-12',
  hasta: '2027-07-23',
  nombre: 'Receso invernal',
  tipo: 'receso',
};

describe('scheduled jobs: holidays are days in the job’s own zone', () => {
  const t = { ...sinLimites, zonaHoraria: CORDOBA, saltarFeriados: true };

  it('does not take a run late on the eve for the holiday, though in UTC it is already the holiday', () => {
    // 23:30 on the 24th in Córdoba is 02:30 UTC on the 25th.
    const nochebuena = new Date('2027-12-25T02:30:00Z');
    expect(fechaLocal(nochebuena, CORDOBA)).toBe('2027-12-24');
    expect(omisionDe(nochebuena, t, [navidad])).toBeNull();
    // the same instant, for a job in UTC: the 25th
    expect(omisionDe(nochebuena, { ...t, zonaHoraria: 'UTC' }, [navidad])).toEqual({
      motivo: 'feriado',
      nombre: 'Navidad',
    });
  });

  it('skips a run just after midnight on the holiday, though in UTC it is still the eve', () => {
    const madrugada = new Date('2027-12-25T03:10:00Z'); // 00:10 on the 25th in Córdoba
    expect(omisionDe(madrugada, t, [navidad])).toEqual({ motivo: 'feriado', nombre: 'Navidad' });
    // the day after, at 23:59 local, is not the holiday any more
    expect(omisionDe(new Date('2027-12-27T02:59:00Z'), t, [navidad])).toBeNull();
  });

  it('skips every day of a recess, both ends included, and nothing when the job does not skip holidays', () => {
    for (const dia of ['12', '17', '23'])
      expect(omisionDe(new Date(`2027-07-${dia}T09:00:00Z`), t, [invierno])).toEqual({
        motivo: 'feriado',
        nombre: 'Receso invernal',
      });
    expect(omisionDe(new Date('2027-07-24T09:00:00Z'), t, [invierno])).toBeNull();
    expect(omisionDe(new Date('2027-07-12T09:00:00Z'), { ...t, saltarFeriados: false }, [invierno])).toBeNull();
  });

  it('on the day DST starts at midnight, a run moved past the jump is still that day’s, and skipped on a holiday', () => {
    // Chile: on Sunday 2027-09-05 the clock goes from 00:00 to 01:00, so 00:30 does not exist that day.
    const cron = cronDe('30 0 * * *', SANTIAGO);
    const feriado: PeriodoNoLaborable = { desde: '2027-09-05', hasta: '2027-09-05', nombre: 'Día X', tipo: 'feriado' };
    const proximas = proximasDe(
      cron,
      { ...sinLimites, zonaHoraria: SANTIAGO, saltarFeriados: true },
      [feriado],
      3,
      new Date('2027-09-03T12:00:00Z'),
    );
    expect(proximas.map((p) => [p.local.slice(4), p.omitida])).toEqual([
      ['04/09/2027 00:30', null],
      ['05/09/2027 01:00', { motivo: 'feriado', nombre: 'Día X' }],
      ['06/09/2027 00:30', null],
    ]);
  });

  it('on the day DST ends, the repeated hour runs once, on the right day', () => {
    // Chile 2027-04-04: 00:00 goes back to 23:00 of the 3rd; a run at 23:30 happens once on the 3rd.
    const cron = cronDe('30 23 * * *', SANTIAGO);
    const proximas = proximasDe(
      cron,
      { ...sinLimites, zonaHoraria: SANTIAGO, saltarFeriados: true },
      [{ desde: '2027-04-03', hasta: '2027-04-03', nombre: 'Sábado santo', tipo: 'feriado' }],
      3,
      new Date('2027-04-02T12:00:00Z'),
    );
    expect(proximas.map((p) => [p.local.slice(4), p.omitida?.motivo ?? null])).toEqual([
      ['02/04/2027 23:30', null],
      ['03/04/2027 23:30', 'feriado'],
      ['04/04/2027 23:30', null],
    ]);
  });
});

describe('scheduled jobs: validity', () => {
  const lunes6 = cronDe('0 6 * * 1', CORDOBA);
  const base = { zonaHoraria: CORDOBA, saltarFeriados: false };

  it('does not run outside its dates, which are days in its zone', () => {
    const t = { ...base, validDesde: '2027-03-01', validHasta: '2027-11-30' };
    expect(omisionDe(new Date('2027-02-22T09:00:00Z'), t, [])).toEqual({ motivo: 'fuera de vigencia', nombre: null });
    expect(omisionDe(new Date('2027-03-01T09:00:00Z'), t, [])).toBeNull();
    // 23:00 on 30/11 in Córdoba (02:00 UTC on 1/12) is still within
    expect(omisionDe(new Date('2027-12-01T02:00:00Z'), t, [])).toBeNull();
    expect(omisionDe(new Date('2027-12-01T03:00:00Z'), t, [])).toEqual({ motivo: 'fuera de vigencia', nombre: null });
  });

  it('puts validity before holidays: a holiday outside the dates is reported as outside', () => {
    const t = { ...base, saltarFeriados: true, validDesde: '2028-01-01', validHasta: null };
    expect(omisionDe(new Date('2027-12-25T12:00:00Z'), t, [navidad])).toEqual({
      motivo: 'fuera de vigencia',
      nombre: null,
    });
  });

  it('lists the next runs from validDesde, saying once that the times before it do not run', () => {
    const proximas = proximasDe(
      lunes6,
      { ...base, validDesde: '2027-03-01', validHasta: null },
      [],
      3,
      new Date('2027-01-05T12:00:00Z'),
    );
    expect(proximas.map((p) => [p.local, p.omitida?.motivo ?? null])).toEqual([
      ['lun 11/01/2027 06:00', 'fuera de vigencia'],
      ['lun 01/03/2027 06:00', null],
      ['lun 08/03/2027 06:00', null],
    ]);
  });

  it('jumps to validDesde’s local midnight even for a job that runs every second', () => {
    expect(inicioDelDia('2027-03-01', CORDOBA).toISOString()).toBe('2027-03-01T03:00:00.000Z');
    expect(inicioDelDia('2027-07-01', 'Europe/Madrid').toISOString()).toBe('2027-06-30T22:00:00.000Z');
    const proximas = proximasDe(
      cronDe('* * * * * *', CORDOBA),
      { ...base, validDesde: '2027-03-01', validHasta: null },
      [],
      3,
      new Date('2027-02-27T12:00:00Z'),
    );
    expect(proximas.map((p) => [p.at, p.omitida?.motivo ?? null])).toEqual([
      ['2027-02-27T12:00:01.000Z', 'fuera de vigencia'],
      ['2027-03-01T03:00:00.000Z', null],
      ['2027-03-01T03:00:01.000Z', null],
    ]);
  });

  it('ends the list after validHasta with one time that says so', () => {
    const proximas = proximasDe(
      lunes6,
      { ...base, validDesde: null, validHasta: '2027-03-10' },
      [],
      5,
      new Date('2027-03-01T12:00:00Z'),
    );
    expect(proximas.map((p) => [p.local, p.omitida?.motivo ?? null])).toEqual([
      ['lun 08/03/2027 06:00', null],
      ['lun 15/03/2027 06:00', 'fuera de vigencia'],
    ]);
  });

  it('marks holidays among the next runs, in the job’s zone', () => {
    const feriado: PeriodoNoLaborable = {
      desde: '2027-03-22',
      hasta: '2027-03-22',
      nombre: 'Feriado puente',
      tipo: 'feriado',
    };
    const proximas = proximasDe(
      lunes6,
      { ...base, ...sinLimites, saltarFeriados: true },
      [feriado],
      3,
      new Date('2027-03-10T00:00:00Z'),
    );
    expect(proximas.map((p) => [horaLocal(new Date(p.at), CORDOBA), p.omitida])).toEqual([
      ['lun 15/03/2027 06:00', null],
      ['lun 22/03/2027 06:00', { motivo: 'feriado', nombre: 'Feriado puente' }],
      ['lun 29/03/2027 06:00', null],
    ]);
  });
});

describe('scheduled jobs: state', () => {
  const t = { activo: true, zonaHoraria: CORDOBA, validDesde: null, validHasta: null };
  const ahora = new Date('2027-05-01T12:00:00Z');

  it('tells inactive, invalid, without an action, outside its dates, and scheduled apart', () => {
    expect(estadoDe({ ...t, activo: false }, { problema: 'x', conAccion: false, ahora })).toBe('inactivo');
    expect(estadoDe(t, { problema: 'mal', conAccion: true, ahora })).toBe('invalido');
    expect(estadoDe(t, { problema: undefined, conAccion: false, ahora })).toBe('sin_accion');
    expect(estadoDe({ ...t, validHasta: '2027-04-30' }, { problema: undefined, conAccion: true, ahora })).toBe(
      'fuera_de_vigencia',
    );
    expect(estadoDe({ ...t, validDesde: '2027-05-01' }, { problema: undefined, conAccion: true, ahora })).toBe(
      'programado',
    );
  });
});
