// Uploading a lote: the file's shape is checked here, the rows go to ingest-service in RegistrarLote;
// the lote and its tarea follow ingest-service's answer. Listing lotes with filters.
import { randomUUID } from 'node:crypto';
import {
  AlumnoCreado,
  CuentaTeamsFallida,
  LoteFallido,
  LoteIngestado,
  RegistrarLote,
  type AlumnoDatos,
} from '@lucy/contracts';
import { BrokerTap, waitFor } from '@lucy/testing';
import { startGateway, type TestGateway } from './support/gateway.js';

const formulario = (
  contenido: string | Buffer,
  nombre: string,
  campos: Record<string, string> = {},
  tipo = 'text/csv',
) => {
  const f = new FormData();
  for (const [k, v] of Object.entries(campos)) f.append(k, v);
  f.append('archivo', new Blob([contenido], { type: tipo }), nombre);
  return f;
};

describe('gateway API: lotes', () => {
  let gw: TestGateway;
  let tap: BrokerTap;

  beforeAll(async () => {
    gw = await startGateway('gwlotes', { UPLOAD_MAX_BYTES: '4096', UPLOAD_MAX_ROWS: '5' });
    tap = await BrokerTap.open([RegistrarLote], { url: gw.config.RABBITMQ_URL });
  });
  afterAll(async () => {
    await tap?.close();
    await gw?.close();
  });

  it('sends the rows of a CSV, columns renamed by the mapping, to ingest-service in RegistrarLote', async () => {
    const csv =
      'Documento;Nombres;Apellidos;Carrera;Estado;Periodo\n40.123.456;Ana;Paz;Abogacía;ingresante;2027\n30111222;Luis;Sosa;Medicina;aspirante;2027\n';
    const mapeo = JSON.stringify({ dni: 'Documento', nombre: 'Nombres', apellido: 'Apellidos' });
    const r = await gw.api('/lotes', { body: formulario(csv, 'ingresantes.csv', { mapeo }) });
    expect(r.status).toBe(202);
    expect(r.body).toMatchObject({ loteId: expect.any(String), tareaId: expect.any(String), filas: 2 });

    const [cmd] = await waitFor(
      () => tap.of(RegistrarLote, { loteId: r.body.loteId }).length && tap.of(RegistrarLote, { loteId: r.body.loteId }),
      'RegistrarLote',
    );
    expect(cmd).toEqual({
      loteId: r.body.loteId,
      nombreArchivo: 'ingresantes.csv',
      filas: [
        {
          dni: '40.123.456',
          nombre: 'Ana',
          apellido: 'Paz',
          Carrera: 'Abogacía',
          Estado: 'ingresante',
          Periodo: '2027',
        },
        {
          dni: '30111222',
          nombre: 'Luis',
          apellido: 'Sosa',
          Carrera: 'Medicina',
          Estado: 'aspirante',
          Periodo: '2027',
        },
      ],
    });
    const lote = await gw.api(`/lotes/${r.body.loteId}`);
    expect(lote.body).toMatchObject({
      origen: 'upload',
      estado: 'solicitado',
      nombreArchivo: 'ingresantes.csv',
      solicitadoPor: 'admin',
      total: 2,
      pendientes: 2,
      porcentaje: 0,
    });
    expect((await gw.api(`/tareas/${r.body.tareaId}`)).body).toMatchObject({
      tipo: 'carga',
      estado: 'en_curso',
      total: 2,
      loteId: r.body.loteId,
    });

    // ingest-service answers: the lote is ingested and its tarea ends with ingest's counts.
    const alumnoIds = [randomUUID()];
    await tap.publish(LoteIngestado, {
      loteId: r.body.loteId,
      origen: 'upload',
      total: 2,
      nuevos: 1,
      actualizados: 0,
      sinCambios: 0,
      invalidos: [{ fila: 2, fuente: 'ingresantes.csv', dni: null, motivos: ['falta el dni'] }],
      alumnoIds,
    });
    const tarea = await waitFor(async () => {
      const t = (await gw.api(`/tareas/${r.body.tareaId}`)).body;
      return t.estado !== 'en_curso' && t;
    }, 'the upload tarea to end');
    expect(tarea).toMatchObject({ estado: 'con_errores', total: 2, exitosos: 1, fallidos: 1, fin: expect.any(String) });
    expect((await gw.api(`/lotes/${r.body.loteId}`)).body).toMatchObject({
      estado: 'ingestado',
      total: 1,
      pendientes: 1,
      ingesta: { nuevos: 1, invalidos: [expect.objectContaining({ fila: 2 })] },
    });
  });

  it("keeps a file's UTF-8 name as the user sees it, and refuses a name that is not UTF-8", async () => {
    const r = await gw.api('/lotes', { body: formulario('dni,nombre\n40123456,Ana\n', 'Ñandú año 2027.csv') });
    expect(r.status).toBe(202);
    expect((await gw.api(`/lotes/${r.body.loteId}`)).body.nombreArchivo).toBe('Ñandú año 2027.csv');
    const crudo = Buffer.concat([
      Buffer.from('--b\r\nContent-Disposition: form-data; name="archivo"; filename="'),
      Buffer.from([0xff, 0xfe]),
      Buffer.from('.csv"\r\nContent-Type: text/csv\r\n\r\ndni\n1\r\n--b--\r\n'),
    ]);
    const malo = await gw.api('/lotes', {
      body: crudo,
      headers: { 'content-type': 'multipart/form-data; boundary=b' },
    });
    expect(malo.status).toBe(400);
    expect(malo.body.problemas).toEqual([{ campo: 'archivo', mensaje: expect.stringContaining('no son UTF-8') }]);
  });

  it('takes JSON rows, as a .json file or as an application/json body', async () => {
    const file = await gw.api('/lotes', {
      body: formulario(
        JSON.stringify([{ dni: '40123456', nombre: 'Ana', edad: 20 }]),
        'filas.json',
        {},
        'application/json',
      ),
    });
    expect(file.status).toBe(202);
    const body = await gw.api('/lotes', {
      body: { nombreArchivo: 'manual', filas: [{ dni: '40123456', nombre: 'Ana' }] },
    });
    expect(body.status).toBe(202);
    await waitFor(() => tap.of(RegistrarLote, { loteId: body.body.loteId }).length, 'RegistrarLote of the JSON body');
    expect(
      tap.of(RegistrarLote, { loteId: file.body.loteId })[0]?.filas ??
        (await waitFor(() => tap.of(RegistrarLote, { loteId: file.body.loteId })[0], 'RegistrarLote of the file'))
          .filas,
    ).toEqual([{ dni: '40123456', nombre: 'Ana', edad: 20 }]);
  });

  it('answers 400 naming the line, the column or the mapping, and sends nothing', async () => {
    const antes = tap.messages.length;
    const casos: [FormData, RegExp][] = [
      [formulario('dni,nombre\n1,Ana\n2,Bea,de más\n', 'a.csv'), /línea 3/],
      [formulario('dni,nombre\n1,"Ana\n', 'a.csv'), /comilla/],
      [formulario('dni,nombre\n', 'a.csv'), /no tiene filas/],
      [formulario('dni\n1\n2\n3\n4\n5\n6\n', 'a.csv'), /más de 5 filas/],
      [formulario('DNI,Nombre\n1,Ana\n', 'a.csv', { mapeo: '{"dni":"Documento"}' }), /Documento.*DNI/],
      [formulario('DNI\n1\n', 'a.csv', { mapeo: '{"legajo":"DNI"}' }), /mapeo/],
      [formulario('DNI\n1\n', 'a.csv', { mapeo: '{nope' }), /mapeo no es JSON/],
      [formulario('[{"dni":{"x":1}}]', 'a.json', {}, 'application/json'), /fila 1, columna "dni"/],
      [
        formulario(Buffer.from([0x50, 0x4b, 3, 4, 0, 0, 0]), 'alumnos.xlsx', {}, 'application/octet-stream'),
        /no es texto/,
      ],
    ];
    for (const [body, detalle] of casos) {
      const r = await gw.api('/lotes', { body });
      expect({ status: r.status, type: r.type }).toEqual({
        status: 400,
        type: expect.stringContaining('application/problem+json'),
      });
      expect(r.body.detail).toMatch(detalle);
    }
    const sinArchivo = new FormData();
    sinArchivo.append('mapeo', '{}');
    expect((await gw.api('/lotes', { body: sinArchivo })).body.detail).toMatch(/falta el archivo/);
    expect(tap.messages.length).toBe(antes);
  });

  it('refuses a file over the size limit (413), another field name, and other content types (415)', async () => {
    const big = await gw.api('/lotes', { body: formulario(`dni\n${'1\n'.repeat(3000)}`, 'big.csv') });
    expect(big.status).toBe(413);
    expect(big.type).toContain('application/problem+json');
    const f = new FormData();
    f.append('otro', new Blob(['dni\n1\n']), 'a.csv');
    expect((await gw.api('/lotes', { body: f })).status).toBe(400);
    const plain = await gw.api('/lotes', { body: 'dni\n1\n', headers: { 'content-type': 'text/csv' } });
    expect(plain.status).toBe(415);
    expect(plain.body.detail).toMatch(/multipart/);
  });

  describe('a lote ends when nothing is left to do in it', () => {
    const datos = (dni: string): AlumnoDatos => ({
      dni,
      nombre: 'Ana',
      apellido: 'Paz',
      emailPersonal: null,
      emailInstitucional: null,
      carrera: 'Abogacía',
      estado: 'ingresante',
      periodo: '2027',
    });
    const ingesta = { nuevos: 0, actualizados: 0, sinCambios: 0, invalidos: [], alumnoIds: [] };
    const estadoDe = async (loteId: string) => (await gw.api(`/lotes/${loteId}`)).body.estado;
    /** A student whose onboarding failed for good (a final state): they are settled. */
    const asentado = async (alumnoId: string) => {
      await tap.publish(AlumnoCreado, { alumnoId, loteId: null, alumno: datos('40123456') });
      // One after the other: a late AlumnoCreado re-opens a failed account step (the saga's start()).
      await waitFor(
        async () => (await gw.api(`/alumnos/${alumnoId}`)).body.workflow?.estado === 'creando_cuenta',
        'the onboarding to start',
      );
      await tap.publish(CuentaTeamsFallida, {
        alumnoId,
        upn: null,
        motivo: 'Graph: licencia agotada',
        permanente: true,
      });
      await waitFor(
        async () => (await gw.api(`/alumnos/${alumnoId}`)).body.workflow?.estado === 'fallido',
        'the onboarding to fail',
      );
    };
    const pull = async () => (await gw.api('/sync/sial', { body: { fuentes: ['aspirantes'] } })).body.loteId as string;

    it('a SIAL pull in which nothing changed is terminado at once, in the lote, the list and its filter', async () => {
      const loteId = await pull();
      await tap.publish(LoteIngestado, { loteId, origen: 'sial', total: 3, ...ingesta, sinCambios: 3 });
      await waitFor(async () => (await estadoDe(loteId)) !== 'solicitado', 'the pull to be ingested');
      expect((await gw.api(`/lotes/${loteId}`)).body).toMatchObject({
        estado: 'terminado',
        total: 0,
        pendientes: 0,
        porcentaje: 100,
        ingesta: { sinCambios: 3, invalidos: [] },
      });
      const ids = async (q: string) =>
        (await gw.api(`/lotes?limit=100&${q}`)).body.items.map((l: { id: string }) => l.id);
      expect(await ids('estado=terminado')).toContain(loteId);
      expect(await ids('estado=ingestado')).not.toContain(loteId);
      expect((await gw.api(`/lotes?limit=100`)).body.items.find((l: { id: string }) => l.id === loteId)).toMatchObject({
        estado: 'terminado',
        porcentaje: 100,
      });
    });

    it('an upload whose rows are all invalid is terminado, its ingesta still listing the rows', async () => {
      const r = await gw.api('/lotes', { body: { filas: [{ dni: '0000000' }, { dni: 'x' }] } });
      const invalidos = [1, 2].map((fila) => ({ fila, fuente: 'upload', dni: null, motivos: ['falta el nombre'] }));
      await tap.publish(LoteIngestado, { loteId: r.body.loteId, origen: 'upload', total: 2, ...ingesta, invalidos });
      await waitFor(async () => (await estadoDe(r.body.loteId)) !== 'solicitado', 'the upload to be ingested');
      expect((await gw.api(`/lotes/${r.body.loteId}`)).body).toMatchObject({
        estado: 'terminado',
        total: 0,
        porcentaje: 100,
        ingesta: { invalidos },
      });
    });

    it('shows the notes ingest made on rows it read but did not act on in full (avisos), which fail nothing', async () => {
      const loteId = await pull();
      const avisos = [
        { fila: 4, fuente: 'classes.csv', dni: null, motivos: ['clase "bio-103-a": sin curso de Moodle'] },
      ];
      await tap.publish(LoteIngestado, { loteId, origen: 'sial', total: 0, ...ingesta, avisos });
      await waitFor(async () => (await estadoDe(loteId)) !== 'solicitado', 'the lote to be ingested');
      expect((await gw.api(`/lotes/${loteId}`)).body).toMatchObject({ estado: 'terminado', ingesta: { avisos } });
    });

    it('shows the bajas, retornos and unknown leavers ingest counted, and none from an ingest that did not count them', async () => {
      const loteId = await pull();
      const bajasDesconocidas = [{ fila: 4, fuente: 'aspirantes', dni: '30111222', estado: 'egresado' as const }];
      await tap.publish(LoteIngestado, {
        loteId,
        origen: 'sial',
        total: 5,
        ...ingesta,
        sinCambios: 1,
        bajas: 2,
        retornos: 1,
        bajasDesconocidas,
      });
      await waitFor(async () => (await estadoDe(loteId)) !== 'solicitado', 'the pull to be ingested');
      expect((await gw.api(`/lotes/${loteId}`)).body).toMatchObject({
        estado: 'terminado',
        ingesta: { sinCambios: 1, bajas: 2, retornos: 1, bajasDesconocidas },
      });
      const viejo = await pull();
      await tap.publish(LoteIngestado, { loteId: viejo, origen: 'sial', total: 1, ...ingesta, sinCambios: 1 });
      await waitFor(async () => (await estadoDe(viejo)) !== 'solicitado', 'the other pull to be ingested');
      expect((await gw.api(`/lotes/${viejo}`)).body.ingesta).toMatchObject({
        bajas: null,
        retornos: null,
        bajasDesconocidas: [],
      });
    });

    it('a lote whose rows were duplicates of unchanged students is terminado', async () => {
      const loteId = await pull();
      await tap.publish(LoteIngestado, { loteId, origen: 'sial', total: 4, ...ingesta, sinCambios: 2 });
      await waitFor(async () => (await estadoDe(loteId)) === 'terminado', 'the lote to end');
    });

    it('is in progress while a student is not settled, terminado once they are', async () => {
      const [a, b] = [randomUUID(), randomUUID()];
      await asentado(a);
      const loteId = await pull();
      await tap.publish(LoteIngestado, { loteId, origen: 'sial', total: 2, ...ingesta, nuevos: 2, alumnoIds: [a, b] });
      await waitFor(async () => (await estadoDe(loteId)) !== 'solicitado', 'the pull to be ingested');
      expect((await gw.api(`/lotes/${loteId}`)).body).toMatchObject({
        estado: 'ingestado',
        total: 2,
        fallidos: 1,
        pendientes: 1,
        porcentaje: 50,
      });
      expect((await gw.api(`/lotes?estado=ingestado&limit=100`)).body.items.map((l: { id: string }) => l.id)).toContain(
        loteId,
      );
      await asentado(b);
      expect((await gw.api(`/lotes/${loteId}`)).body).toMatchObject({
        estado: 'terminado',
        fallidos: 2,
        porcentaje: 100,
      });
    });

    it('is terminado when its students settled before the ingest summary arrived', async () => {
      const [a, b] = [randomUUID(), randomUUID()];
      await asentado(a);
      await asentado(b);
      const loteId = await pull();
      await tap.publish(LoteIngestado, { loteId, origen: 'sial', total: 2, ...ingesta, nuevos: 2, alumnoIds: [a, b] });
      await waitFor(async () => (await estadoDe(loteId)) !== 'solicitado', 'the pull to be ingested');
      expect((await gw.api(`/lotes/${loteId}`)).body).toMatchObject({
        estado: 'terminado',
        total: 2,
        fallidos: 2,
        porcentaje: 100,
      });
    });
  });

  it('lists lotes newest first, filtered by origin, state and date, with their progress', async () => {
    const sial = await gw.api('/sync/sial', { body: { fuentes: ['aspirantes'] } });
    await tap.publish(LoteFallido, {
      loteId: sial.body.loteId,
      motivo: 'SIAL rechazó las credenciales',
      permanente: true,
    });
    await waitFor(
      async () => (await gw.api(`/lotes/${sial.body.loteId}`)).body.estado === 'fallido',
      'the SIAL lote to fail',
    );

    const todos = await gw.api('/lotes?limit=2');
    expect(todos.body.total).toBeGreaterThanOrEqual(4);
    expect(todos.body.items).toHaveLength(2);
    expect(todos.body.items[0].id).toBe(sial.body.loteId);
    const fallidos = await gw.api('/lotes?estado=fallido&origen=sial');
    expect(fallidos.body).toMatchObject({
      total: 1,
      items: [{ id: sial.body.loteId, error: 'SIAL rechazó las credenciales', porcentaje: 0 }],
    });
    expect(
      (await gw.api('/lotes?q=ingresantes')).body.items.map((l: { nombreArchivo: string }) => l.nombreArchivo),
    ).toEqual(['ingresantes.csv']);
    expect((await gw.api('/lotes?desde=2999-01-01')).body).toMatchObject({ total: 0, items: [] });
    const tarea = (await gw.api(`/tareas?loteId=${sial.body.loteId}`)).body.items[0];
    expect(tarea).toMatchObject({
      tipo: 'sincronizacion',
      estado: 'fallida',
      detalle: expect.objectContaining({ error: 'SIAL rechazó las credenciales' }),
    });
  });
});
