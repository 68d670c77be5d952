import { ConfiguracionApi, DEFECTO } from '../configuracion/configuracion.schema.js';
import { cronDe, decidirRecuperacion, franjaDe, horaLocal, problemaDeCron, VENTANA_RECUPERACION_MS } from './cron.js';

const CORDOBA = 'America/Argentina/Cordoba';
const MIN = 60_000;

describe('the scheduled pull: cron checks', () => {
  it('accepts the usual schedules', () => {
    for (const c of ['0 2 * * *', '*/5 * * * *', '30 6 * * 1-5', '0 2 10 * *', '0 0 */10 * * *'])
      expect(problemaDeCron(c, 300)).toBeUndefined();
  });

  it('refuses what croner cannot read, saying what is wrong and showing an example', () => {
    expect(problemaDeCron('0 2 * *', 300)).toBe(
      'expresión cron inválida: hacen falta 5 campos (minuto hora día mes día-de-la-semana), o 6 con los segundos primero (ej. 0 2 * * * = todos los días a las 2:00)',
    );
    expect(problemaDeCron('0 25 * * *', 300)).toMatch(
      /^expresión cron inválida: valor fuera de rango para la hora: 25 \(ej\. 0 2 \* \* \* = todos los días a las 2:00\)$/,
    );
    expect(problemaDeCron('0 2 * * lunes', 300)).toMatch(/^expresión cron inválida: .*\(ej\. 0 2 \* \* \*/);
    expect(problemaDeCron('0 0 2 * * * 2030', 300)).toMatch(/hacen falta 5 campos/);
    expect(problemaDeCron('0 0 30 2 *', 300)).toMatch(/nunca se cumple/);
  });

  it('refuses an expression that fires more often than the minimum, naming the interval and why', () => {
    expect(problemaDeCron('* * * * *', 300)).toMatch(
      /^la expresión cron se ejecutaría cada 1 minuto \(p\. ej\. \d\d:\d\d y \d\d:\d\d UTC\); el mínimo es 5 minutos, porque cada ejecución trae de SIAL la cohorte entera \(ej\. 0 2 \* \* \*/,
    );
    expect(problemaDeCron('*/2 2 * * *', 300)).toMatch(/cada 2 minutos/);
    // close only across midnight: 23:58 and 00:00 the next day
    expect(problemaDeCron('0,58 0,23 * * *', 300)).toMatch(/cada 2 minutos \(p\. ej\. 23:58 y 00:00 UTC\)/);
    expect(problemaDeCron('*/10 * * * * *', 300)).toMatch(/cada 10 segundos/);
  });

  it('lets the environment lower the minimum (tests schedule every second)', () => {
    expect(problemaDeCron('* * * * * *', 1)).toBeUndefined();
    expect(problemaDeCron('* * * * *', 60)).toBeUndefined();
  });

  it('is the check PUT /config applies to sincronizacion.cron', () => {
    const r = ConfiguracionApi.safeParse({
      ...DEFECTO,
      sincronizacion: { ...DEFECTO.sincronizacion, cron: '*/1 * * * *' },
    });
    expect(r.success).toBe(false);
    expect(r.error!.issues).toEqual([
      expect.objectContaining({
        path: ['sincronizacion', 'cron'],
        message: expect.stringMatching(/^la expresión cron se ejecutaría cada 1 minuto/),
      }),
    ]);
    expect(
      ConfiguracionApi.safeParse({ ...DEFECTO, sincronizacion: { ...DEFECTO.sincronizacion, cron: '15 3 * * 1' } })
        .success,
    ).toBe(true);
    const { sincronizacion: _, ...sin } = DEFECTO;
    expect(ConfiguracionApi.parse(sin).sincronizacion).toEqual(DEFECTO.sincronizacion);
  });
});

describe('the scheduled pull: slots and time zones', () => {
  it('reads the expression in the configured zone (02:00 in Córdoba is 05:00 UTC)', () => {
    expect(
      cronDe('0 2 * * *', CORDOBA)
        .nextRuns(2, new Date('2027-02-01T12:00:00Z'))
        .map((d) => d.toISOString()),
    ).toEqual(['2027-02-02T05:00:00.000Z', '2027-02-03T05:00:00.000Z']);
  });

  it('runs a fixed time once when DST repeats it, and right after the jump when DST skips it', () => {
    // Europe/Madrid: 2027-03-28 02:00 → 03:00; 2027-10-31 03:00 → 02:00.
    const madrid = cronDe('30 2 * * *', 'Europe/Madrid');
    expect(madrid.nextRuns(2, new Date('2027-03-27T12:00:00Z')).map((d) => horaLocal(d, 'Europe/Madrid'))).toEqual([
      'dom 28/03/2027 03:00',
      'lun 29/03/2027 02:30',
    ]);
    expect(madrid.nextRuns(2, new Date('2027-10-30T12:00:00Z')).map((d) => d.toISOString())).toEqual([
      '2027-10-31T00:30:00.000Z',
      '2027-11-01T01:30:00.000Z',
    ]);
  });

  it('names the slot a firing belongs to the same way whatever the timer jitter', () => {
    const cron = cronDe('0 2 * * *', CORDOBA);
    const slot = '2027-02-02T05:00:00.000Z';
    for (const at of ['2027-02-02T05:00:00.000Z', '2027-02-02T05:00:00.004Z', '2027-02-02T05:00:01.900Z'])
      expect(franjaDe(cron, new Date(at))?.toISOString()).toBe(slot);
    const porSegundo = cronDe('* * * * * *', 'UTC');
    expect(franjaDe(porSegundo, new Date('2027-02-02T05:00:07.000Z'))?.toISOString()).toBe('2027-02-02T05:00:07.000Z');
    expect(franjaDe(porSegundo, new Date('2027-02-02T05:00:07.999Z'))?.toISOString()).toBe('2027-02-02T05:00:07.000Z');
  });

  it('shows a time as a person in the zone reads it', () => {
    expect(horaLocal(new Date('2027-02-02T05:00:00Z'), CORDOBA)).toBe('mar 02/02/2027 02:00');
    expect(horaLocal(new Date('2027-02-02T05:00:09Z'), CORDOBA)).toBe('mar 02/02/2027 02:00:09');
  });
});

describe('the scheduled pull: catching up at start', () => {
  const ahora = new Date('2027-02-02T05:20:00Z');
  const ultima = new Date('2027-02-02T05:00:00Z');
  const antes = new Date('2027-02-01T00:00:00Z');

  it('pulls the most recent scheduled time once if nobody claimed it within the last hour', () => {
    expect(decidirRecuperacion({ ultima, reclamada: false, ahora, vigenteDesde: antes })).toEqual({
      tipo: 'recuperar',
      franja: ultima,
    });
    expect(decidirRecuperacion({ ultima, reclamada: false, ahora, vigenteDesde: null })).toEqual({
      tipo: 'recuperar',
      franja: ultima,
    });
  });

  it('does nothing when a replica pulled it', () => {
    expect(decidirRecuperacion({ ultima, reclamada: true, ahora, vigenteDesde: antes })).toEqual({ tipo: 'ninguna' });
  });

  it('does not replay a time older than the window: it reports it as lost', () => {
    const tarde = new Date(ultima.getTime() + VENTANA_RECUPERACION_MS + MIN);
    expect(decidirRecuperacion({ ultima, reclamada: false, ahora: tarde, vigenteDesde: antes })).toEqual({
      tipo: 'perdida',
      franja: ultima,
    });
  });

  it('does not replay a time from before the current configuration (the schedule was another one, or off)', () => {
    expect(
      decidirRecuperacion({ ultima, reclamada: false, ahora, vigenteDesde: new Date(ultima.getTime() + MIN) }),
    ).toEqual({ tipo: 'ninguna' });
  });

  it('does nothing for a schedule that has never fired', () => {
    expect(decidirRecuperacion({ ultima: null, reclamada: false, ahora, vigenteDesde: null })).toEqual({
      tipo: 'ninguna',
    });
  });
});
