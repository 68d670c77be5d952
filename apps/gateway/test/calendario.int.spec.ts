// The academic calendar through the API: periods added, changed and removed by an operator (audited), a
// viewer only reads; CSV import all or nothing (a broken file → 400 naming the line, nothing imported),
// an import run twice adds nothing; iCalendar refused while no parser is installed.
import { startGateway, tokenDe, type TestGateway } from './support/gateway.js';

describe('gateway: the academic calendar', () => {
  let a: TestGateway;
  let s: string;
  let operadora: string;
  let lectora: string;
  const periodos = async () => (await a.api('/calendario')).body.items;

  beforeAll(async () => {
    a = await startGateway('gwcal');
    s = `"${a.config.DB_SCHEMA}"`;
    operadora = await tokenDe(a, 'operadora', 'operator');
    lectora = await tokenDe(a, 'lectora', 'viewer');
  });
  afterAll(() => a?.close());

  it('adds, changes and removes a period for an operator, each audited; a viewer only reads', async () => {
    const negado = await a.api('/calendario', { token: lectora, body: { desde: '2027-05-01', nombre: 'Trabajo' } });
    expect(negado.status).toBe(403);

    const r = await a.api('/calendario', {
      token: operadora,
      body: { desde: '2027-05-01', nombre: 'Día del Trabajador' },
    });
    expect(r.status).toBe(201);
    expect(r.body).toMatchObject({
      desde: '2027-05-01',
      hasta: '2027-05-01',
      nombre: 'Día del Trabajador',
      tipo: 'feriado',
      creadoPor: 'operadora',
    });
    const cambiado = await a.api(`/calendario/${r.body.id}`, {
      method: 'PUT',
      token: operadora,
      body: { desde: '2027-05-01', hasta: '2027-05-02', nombre: 'Fin de semana largo', tipo: 'receso' },
    });
    expect(cambiado.status).toBe(200);
    expect(cambiado.body).toMatchObject({ hasta: '2027-05-02', tipo: 'receso' });
    expect((await a.api('/calendario?anio=2027', { token: lectora })).body.items).toHaveLength(1);
    expect((await a.api('/calendario?anio=2028')).body.items).toEqual([]);

    expect((await a.api(`/calendario/${r.body.id}`, { method: 'DELETE', token: operadora })).status).toBe(200);
    expect(await periodos()).toEqual([]);
    const asientos = (
      await a.db.query(
        `SELECT actor, detalle->>'operacion' AS op FROM ${s}.auditoria WHERE evento = 'accion.calendario' ORDER BY id`,
      )
    ).rows;
    expect(asientos).toEqual([
      { actor: 'operadora', op: 'crear' },
      { actor: 'operadora', op: 'modificar' },
      { actor: 'operadora', op: 'borrar' },
    ]);
  });

  it('refuses a bad period with the field; 404 for one that does not exist', async () => {
    const casos: [object, string, RegExp][] = [
      [{ desde: '2027-02-30', nombre: 'X' }, 'desde', /^esa fecha no existe$/],
      [{ desde: '2027-03-10', hasta: '2027-03-01', nombre: 'X' }, 'hasta', /^es anterior a desde$/],
      [{ desde: '2027-03-10', nombre: '  ' }, 'nombre', /^falta el nombre$/],
      [{ desde: '2027-03-10', nombre: 'X', tipo: 'paro' }, 'tipo', /^debe ser feriado o receso$/],
    ];
    for (const [body, campo, mensaje] of casos) {
      const r = await a.api('/calendario', { token: operadora, body });
      expect([body, r.status, r.type]).toEqual([body, 400, expect.stringMatching(/problem\+json/)]);
      expect(r.body.problemas).toEqual([{ campo, mensaje: expect.stringMatching(mensaje) }]);
    }
    const otro = '00000000-0000-4000-8000-000000000000';
    expect((await a.api(`/calendario/${otro}`, { method: 'DELETE', token: operadora })).status).toBe(404);
    expect(
      (
        await a.api(`/calendario/${otro}`, {
          method: 'PUT',
          token: operadora,
          body: { desde: '2027-01-01', nombre: 'X' },
        })
      ).status,
    ).toBe(404);
    expect((await a.api('/calendario/no-es-un-id')).status).toBe(400);
    expect(await periodos()).toEqual([]);
  });

  it('imports a CSV whole, and the same file again adds nothing', async () => {
    const contenido = [
      'desde;hasta;nombre;tipo',
      '2027-01-01;;Año Nuevo;feriado',
      '15/02/2027;16/02/2027;Carnaval;feriado',
      '2027-07-12;2027-07-23;Receso invernal;receso',
    ].join('\n');
    const r = await a.api('/calendario/importar', { token: operadora, body: { formato: 'csv', contenido } });
    expect(r.status).toBe(201);
    expect(r.body).toEqual({ formato: 'csv', leidos: 3, agregados: 3, repetidos: 0, borrados: 0, anios: [2027] });
    const otra = await a.api('/calendario/importar', { token: operadora, body: { formato: 'csv', contenido } });
    expect(otra.body).toMatchObject({ agregados: 0, repetidos: 3 });
    expect((await periodos()).map((p: any) => [p.desde, p.hasta, p.nombre, p.tipo])).toEqual([
      ['2027-01-01', '2027-01-01', 'Año Nuevo', 'feriado'],
      ['2027-02-15', '2027-02-16', 'Carnaval', 'feriado'],
      ['2027-07-12', '2027-07-23', 'Receso invernal', 'receso'],
    ]);
    // reemplazar: the file is 2027's calendar now
    const solo = await a.api('/calendario/importar', {
      token: operadora,
      body: { formato: 'csv', contenido: 'desde,nombre\n2027-05-25,Revolución de Mayo', reemplazar: true },
    });
    expect(solo.body).toMatchObject({ borrados: 3, agregados: 1 });
    expect((await periodos()).map((p: any) => p.nombre)).toEqual(['Revolución de Mayo']);
  });

  it('refuses a broken file naming its line, and imports none of it', async () => {
    const antes = await periodos();
    const casos: [string, string, RegExp][] = [
      [
        'desde,nombre\n2027-08-17,San Martín\n2027-13-01,Mes 13\n',
        'linea 3',
        /^línea 3: desde "2027-13-01" no es una fecha/,
      ],
      [
        'desde,nombre\n2027-08-17,San Martín\n2027-10-12,"Diversidad\n',
        'linea 3',
        /^línea 3: una comilla abierta no se cierra$/,
      ],
      ['desde,nombre\n2027-08-17,San Martín,extra\n', 'linea 2', /columnas que el encabezado$/],
      ['fecha,nombre\n2027-08-17,San Martín\n', 'linea 1', /falta desde/],
      ['desde,nombre\n', 'contenido', /ningún período/],
    ];
    for (const [contenido, campo, mensaje] of casos) {
      const r = await a.api('/calendario/importar', { token: operadora, body: { formato: 'csv', contenido } });
      expect([contenido, r.status, r.type]).toEqual([contenido, 400, expect.stringMatching(/problem\+json/)]);
      expect(r.body.problemas).toEqual([{ campo, mensaje: expect.stringMatching(mensaje) }]);
    }
    expect(await periodos()).toEqual(antes);
  });

  it('imports an iCalendar file (all-day events, DTEND exclusive), refuses a broken one, and a viewer cannot import', async () => {
    const antes = await periodos();
    const ics = [
      'BEGIN:VCALENDAR',
      'VERSION:2.0',
      'PRODID:-//Universidad//Calendario//ES',
      'BEGIN:VEVENT',
      'UID:a@test',
      'DTSTART;VALUE=DATE:20280817',
      'DTEND;VALUE=DATE:20280818',
      'SUMMARY:Paso a la Inmortalidad del Gral. San Martín',
      'END:VEVENT',
      'BEGIN:VEVENT',
      'UID:b@test',
      'DTSTART;VALUE=DATE:20280710',
      'DTEND;VALUE=DATE:20280722',
      'SUMMARY:Receso invernal',
      'END:VEVENT',
      'END:VCALENDAR',
    ].join('\r\n');
    const r = await a.api('/calendario/importar', { token: operadora, body: { formato: 'ics', contenido: ics } });
    expect(r.status).toBe(201);
    expect(r.body).toMatchObject({ formato: 'ics', leidos: 2, agregados: 2 });
    const nuevos = (await periodos()).filter((p: any) => p.desde.startsWith('2028'));
    expect(nuevos.map((p: any) => [p.desde, p.hasta, p.nombre, p.tipo])).toEqual([
      ['2028-07-10', '2028-07-21', 'Receso invernal', 'receso'],
      ['2028-08-17', '2028-08-17', 'Paso a la Inmortalidad del Gral. San Martín', 'feriado'],
    ]);

    const roto = await a.api('/calendario/importar', {
      token: operadora,
      body: {
        formato: 'ics',
        contenido: 'BEGIN:VCALENDAR\nBEGIN:VEVENT\nSUMMARY:sin fecha\nEND:VEVENT\nEND:VCALENDAR\n',
      },
    });
    expect(roto.status).toBe(400);
    expect(roto.type).toMatch(/problem\+json/);
    expect(roto.body.problemas).toEqual([{ campo: 'linea 2', mensaje: expect.stringMatching(/DTSTART/) }]);
    expect((await periodos()).length).toBe(antes.length + 2);
    expect(
      (
        await a.api('/calendario/importar', {
          token: lectora,
          body: { formato: 'csv', contenido: 'desde,nombre\n2027-01-01,X' },
        })
      ).status,
    ).toBe(403);
  });
});
