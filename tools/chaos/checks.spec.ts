import {
  noDuplicateEmails,
  noDuplicateEnrolments,
  noLiveAccountForFailed,
  noneLost,
  nothingParked,
  oneAccountEach,
  runChecks,
  settled,
} from './checks.js';
import type { Alumno, Evidence, GraphUser } from './evidence.js';

const alumno = (n: number, estado = 'completado'): Alumno => ({
  alumnoId: `a${n}`,
  dni: `4500000${n}`,
  upn: `a4500000${n}@uni.edu`,
  workflow: { estado, error: null, avisos: [] },
});
const user = (n: number, over: Partial<GraphUser> = {}): GraphUser => ({
  id: `g${n}-${Math.random()}`,
  userPrincipalName: `a4500000${n}@uni.edu`,
  employeeId: `4500000${n}`,
  state: 'active',
  accountEnabled: true,
  ...over,
});

/** Two students, both onboarded once: every check passes. */
function clean(): Evidence {
  return {
    lote: {
      id: 'l',
      estado: 'terminado',
      total: 2,
      completados: 2,
      conAvisos: 0,
      fallidos: 0,
      enCurso: 0,
      pendientes: 0,
      porcentaje: 100,
      desglose: { completado: 2 },
      ingesta: {
        nuevos: 2,
        actualizados: 0,
        sinCambios: 0,
        invalidos: [{ fila: 3, fuente: 'aspirantes', dni: '12', motivos: ['DNI inválido'] }],
      },
    },
    sialDnis: ['45.000.001', ' 45000002 ', '45000002', '12'],
    alumnos: [alumno(1), alumno(2)],
    graphUsers: [user(1), user(2)],
    moodleUsers: [
      { id: 3, username: 'a45000001@uni.edu', email: 'uno@mail.com', deleted: false },
      { id: 4, username: 'a45000002@uni.edu', email: 'dos@mail.com', deleted: false },
    ],
    enrolments: [
      { userid: 3, courseid: 2 },
      { userid: 4, courseid: 2 },
    ],
    emails: [
      { to: ['uno@mail.com'], upn: null },
      { to: ['dos@mail.com'], upn: null },
    ],
    parked: [{ servicio: 'teams-service', aparcados: 0 }],
  };
}

describe('chaos checks', () => {
  it('pass on a cohort onboarded once each, with the refused rows left out', () => {
    expect(runChecks(clean()).filter((c) => !c.pass)).toEqual([]);
  });

  it('fail a student whose workflow is not terminal, and students never released', () => {
    const e = clean();
    e.alumnos[1] = alumno(2, 'creando_cuenta');
    expect(settled(e)).toMatchObject({ pass: false, failed: 1 });
    e.lote.total = 3;
    expect(settled(e).failed).toBe(2);
  });

  it('find a DNI of the cohort (dots and spaces as SIAL writes them) with no workflow', () => {
    const e = clean();
    e.alumnos.pop();
    expect(noneLost(e)).toMatchObject({ pass: false, checked: 2, failed: 1, examples: ['DNI 45000002: no workflow'] });
  });

  it('count two live Entra users with one employeeId, but not a deleted one beside a live one', () => {
    const e = clean();
    e.graphUsers.push(user(1, { state: 'deleted' }));
    expect(oneAccountEach(e).pass).toBe(true);
    e.graphUsers.push(user(1, { userPrincipalName: 'a45000001-2@uni.edu' }));
    expect(oneAccountEach(e)).toMatchObject({ pass: false, failed: 1 });
  });

  it('count a second Moodle user of one student (same email) enrolled in the same course', () => {
    const e = clean();
    e.moodleUsers.push({ id: 5, username: 'otro', email: 'uno@mail.com', deleted: false });
    e.enrolments.push({ userid: 5, courseid: 2 });
    expect(noDuplicateEnrolments(e).pass).toBe(true); // a different key: its username is no student's UPN…
    e.moodleUsers[0]!.username = 'renamed';
    expect(noDuplicateEnrolments(e)).toMatchObject({ pass: false, failed: 1 }); // …unless both are found by email
  });

  it('tell two students sharing an address apart by the UPN in the text, and flag a real repeat', () => {
    const e = clean();
    e.emails = [
      { to: ['x@mail.com'], upn: 'a45000001@uni.edu' },
      { to: ['x@mail.com'], upn: 'a45000002@uni.edu' },
    ];
    expect(noDuplicateEmails(e).pass).toBe(true);
    e.emails.push({ to: ['x@mail.com'], upn: 'a45000002@uni.edu' });
    expect(noDuplicateEmails(e)).toMatchObject({ pass: false, failed: 1 });
  });

  it('count every parked message', () => {
    const e = clean();
    e.parked = [
      { servicio: 'teams-service', aparcados: 2 },
      { servicio: 'gateway', aparcados: 1 },
    ];
    expect(nothingParked(e)).toMatchObject({ pass: false, failed: 3 });
  });

  it('fail an enabled, live account of a failed student; a disabled or deleted one passes', () => {
    const e = clean();
    e.alumnos[0] = alumno(1, 'fallido');
    expect(noLiveAccountForFailed(e)).toMatchObject({ pass: false, checked: 1, failed: 1 });
    e.graphUsers[0]!.accountEnabled = false;
    expect(noLiveAccountForFailed(e).pass).toBe(true);
    e.graphUsers[0] = user(1, { state: 'deleted' });
    expect(noLiveAccountForFailed(e).pass).toBe(true);
  });
});
