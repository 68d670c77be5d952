import { AjustesAlertas, VARIABLES_ALERTA as DEL_CONTRATO } from '@lucy/contracts';
import { NO_SE_SUELTAN as EN_EL_GATEWAY } from '../configuracion/fijadas.js';
import {
  cambiosEntre,
  clasesALineas,
  cursosAFilas,
  estadoAplicacion,
  filasACursos,
  fusionar,
  leerDestinatarios,
  lineasAClases,
  MAX_DESTINATARIOS,
  NO_SE_SUELTAN,
  resumenVersion,
  ubicarProblemas,
  upnDeEjemplo,
  VARIABLES_ALERTA,
} from './public/config-modelo.js';

describe("the configuration editor's logic", () => {
  it("previews a student's UPN as teams-service builds it, or says why the pattern cannot be used", () => {
    expect(upnDeEjemplo('a{dni}@{domain}', 'Estudiantes.UNRC.edu.ar')).toEqual({
      upn: 'a30111222@estudiantes.unrc.edu.ar',
    });
    expect(
      upnDeEjemplo('{inicial}{apellido}.{dni}@{domain}', 'x.edu.ar', {
        dni: '40111222',
        nombre: 'Ángela',
        apellido: 'Núñez Paz',
      }),
    ).toEqual({ upn: 'anunezpaz.40111222@x.edu.ar' });
    expect(upnDeEjemplo('{nombre}@{domain}', 'x.edu.ar').problema).toMatch(/\{dni\}/);
    expect(upnDeEjemplo('{legajo}{dni}@{domain}', 'x.edu.ar').problema).toMatch(/\{legajo\}/);
    expect(upnDeEjemplo('{dni}{domain}@x', 'x.edu.ar').problema).toMatch(/después de la @/);
    expect(upnDeEjemplo('a{dni}', 'x.edu.ar').problema).toMatch(/una sola @/);
  });

  it('turns the courses into table rows and back, refusing a repeated estado × periodo and a row without periodo', () => {
    const cursos = { ingresante: { '*': ['ING-INTRO', 'ING-MATE'], '2027': ['ING-ECO'] }, aspirante: { '*': [] } };
    const filas = cursosAFilas(cursos);
    expect(filas).toEqual([
      { estado: 'aspirante', periodo: '*', cursos: '' },
      { estado: 'ingresante', periodo: '*', cursos: 'ING-INTRO, ING-MATE' },
      { estado: 'ingresante', periodo: '2027', cursos: 'ING-ECO' },
    ]);
    expect(filasACursos(filas)).toEqual({ cursos, problemas: [] });
    const editadas = [
      ...filas,
      { estado: 'ingresante', periodo: ' 2027 ', cursos: 'OTRO' },
      { estado: 'aspirante', periodo: '', cursos: 'X' },
      { estado: 'aspirante', periodo: ' ', cursos: ' , ' },
    ];
    expect(filasACursos(editadas).problemas).toEqual([
      { fila: 4, mensaje: expect.stringMatching(/ingresante × 2027 ya está/) },
      { fila: 5, mensaje: expect.stringMatching(/falta el período/) },
    ]);
  });

  it("puts each of the server's problems on the nearest field the form has", () => {
    const campos = ['upn.patron', 'upn', 'cursos', 'limites', 'limites.graph.rpm'];
    expect(
      ubicarProblemas(
        [
          { campo: 'valores.upn.patron', mensaje: 'debe contener {dni}' },
          { campo: 'valores.cursos.ingresante.*.0', mensaje: 'muy corto' },
          { campo: 'valores.limites.graph.extra', mensaje: 'clave desconocida' },
          { campo: 'valores', mensaje: 'falta todo' },
        ],
        campos,
      ),
    ).toEqual([
      { campo: 'upn.patron', ruta: 'valores.upn.patron', mensaje: 'debe contener {dni}' },
      { campo: 'cursos', ruta: 'valores.cursos.ingresante.*.0', mensaje: 'muy corto' },
      { campo: 'limites', ruta: 'valores.limites.graph.extra', mensaje: 'clave desconocida' },
      { campo: null, ruta: 'valores', mensaje: 'falta todo' },
    ]);
  });

  it("keeps an edit's changes over someone else's newer version, naming the keys both changed", () => {
    const base = { loteTamano: 20, upn: { patron: 'a{dni}@{domain}', dominio: 'a.edu' }, zonaHoraria: 'UTC' };
    const editada = { ...base, loteTamano: 50, upn: { dominio: 'b.edu', patron: 'a{dni}@{domain}' } };
    const nueva = {
      ...base,
      upn: { patron: 'a{dni}@{domain}', dominio: 'c.edu' },
      zonaHoraria: 'America/Argentina/Cordoba',
    };
    expect(cambiosEntre(base, { ...base, upn: { dominio: 'a.edu', patron: 'a{dni}@{domain}' } })).toEqual([]);
    expect(fusionar(base, editada, nueva)).toEqual({
      valores: {
        loteTamano: 50,
        upn: { dominio: 'b.edu', patron: 'a{dni}@{domain}' },
        zonaHoraria: 'America/Argentina/Cordoba',
      },
      conservadas: ['loteTamano', 'upn'],
      enConflicto: ['upn'],
    });
  });

  it("reads each service's application of the current version, its refused keys in either shape, and nothing when the gateway does not say", () => {
    expect(estadoAplicacion(undefined, 3)).toBeNull();
    const e = estadoAplicacion(
      [
        { servicio: 'ingest-service', version: 3, alDia: true, rechazadas: {} },
        { servicio: 'teams-service', version: 2, alDia: false, rechazadas: { upn: 'alias inválido' } },
        { servicio: 'mail-service', version: 3, rechazadas: [{ clave: 'plantillaEmail', motivo: 'no compila' }] },
        { servicio: 'moodle-service', version: null, alDia: false, rechazadas: null, error: 'no responde: timeout' },
      ],
      3,
    );
    expect(e).toEqual({
      todos: false,
      servicios: [
        { servicio: 'ingest-service', version: 3, alDia: true, rechazadas: [], error: null },
        {
          servicio: 'teams-service',
          version: 2,
          alDia: false,
          rechazadas: [{ clave: 'upn', motivo: 'alias inválido' }],
          error: null,
        },
        {
          servicio: 'mail-service',
          version: 3,
          alDia: true,
          rechazadas: [{ clave: 'plantillaEmail', motivo: 'no compila' }],
          error: null,
        },
        { servicio: 'moodle-service', version: null, alDia: false, rechazadas: [], error: 'no responde: timeout' },
      ],
    });
    expect(estadoAplicacion([{ servicio: 'a', version: 3, alDia: true }], 3)?.todos).toBe(true);
  });

  it('sums up a version of the history: values changed, keys set with the value they had, keys given back', () => {
    expect(resumenVersion({ cambios: ['loteTamano', 'upn'], fijadasNuevas: ['loteTamano'], soltadas: [] })).toBe(
      'loteTamano, upn',
    );
    expect(resumenVersion({ cambios: [], fijadasNuevas: ['cursos', 'plantillaEmail'], soltadas: [] })).toBe(
      'fijó cursos, plantillaEmail con el valor que tenía',
    );
    expect(
      resumenVersion({ cambios: ['moodleAuth'], fijadasNuevas: ['moodleAuth', 'cursos'], soltadas: ['upn'] }),
    ).toBe('moodleAuth; fijó cursos con el valor que tenía; upn volvió al entorno');
    expect(resumenVersion({ cambios: [], fijadasNuevas: [], soltadas: ['upn', 'cursos'] })).toBe(
      'upn, cursos volvieron al entorno',
    );
    // An older gateway's history says nothing of the keys set.
    expect(resumenVersion({ cambios: [] })).toBe('sin cambios');
  });

  it('offers "Volver al entorno" for exactly the keys the gateway gives back', () => {
    expect([...NO_SE_SUELTAN].sort()).toEqual(Object.keys(EN_EL_GATEWAY).sort());
  });

  it('reads the alert recipients one per line (or comma-separated), once each, and names what the gateway would refuse', () => {
    const { destinatarios, problemas } = leerDestinatarios(
      ' sistemas@unrc.edu.ar\nguardia@unrc.edu.ar, SISTEMAS@unrc.edu.ar;\n\nno-es-correo\nana@sin-punto',
    );
    expect(destinatarios).toEqual(['sistemas@unrc.edu.ar', 'guardia@unrc.edu.ar']);
    expect(problemas).toEqual([
      '«no-es-correo» no es una dirección de correo',
      '«ana@sin-punto» no es una dirección de correo',
    ]);
    // What the form accepts, the configuration's schema accepts too.
    expect(AjustesAlertas.safeParse({ destinatarios, umbralDiferencias: 0, plantilla: null }).success).toBe(true);
    expect(leerDestinatarios('')).toEqual({ destinatarios: [], problemas: [] });
    const muchas = Array.from({ length: MAX_DESTINATARIOS + 1 }, (_, i) => `op${i}@unrc.edu.ar`).join('\n');
    expect(leerDestinatarios(muchas).problemas).toEqual([`son 51 direcciones: como mucho ${MAX_DESTINATARIOS}`]);
    expect(
      AjustesAlertas.safeParse({
        destinatarios: leerDestinatarios(muchas).destinatarios,
        umbralDiferencias: 0,
        plantilla: null,
      }).success,
    ).toBe(false);
  });

  it("lists the alert template's variables mail-service gives", () => {
    expect(VARIABLES_ALERTA).toEqual([...DEL_CONTRATO]);
  });

  it('turns cursosOneRoster into lines "class or code = shortname" and back, naming a line it cannot read', () => {
    const mapa = { MAT101: 'ING-MATE', 'cls-2': 'ING-FIS' };
    expect(clasesALineas(mapa)).toBe('cls-2 = ING-FIS\nMAT101 = ING-MATE');
    expect(lineasAClases(clasesALineas(mapa))).toEqual({ mapa, problemas: [] });
    expect(lineasAClases('\n  MAT101 =  ING-MATE \n')).toEqual({ mapa: { MAT101: 'ING-MATE' }, problemas: [] });
    expect(lineasAClases('MAT101 ING\n= X\nA =\nB = 1\nB = 2').problemas).toEqual([
      'línea 1: falta el "=" entre la clase o el código y el curso',
      'línea 2: falta la clase (sourcedId) o el código de curso',
      'línea 3: falta el shortname del curso de Moodle',
      'línea 5: «B» ya está en otra línea',
    ]);
  });
});
