// A student whose onboarding completed, for the API's integration tests: the services' replies published as
// teams-service, moodle-service and mail-service would (account g-<dni>, Moodle user 7, credentials sent).
import { randomUUID } from 'node:crypto';
import { AlumnoCreado, CuentaTeamsCreada, EmailEnviado, MoodleEnrolado, type AlumnoDatos } from '@lucy/contracts';
import { waitFor, type BrokerTap } from '@lucy/testing';
import type { TestGateway } from './gateway.js';

export const datosDe = (dni: string): AlumnoDatos => ({
  dni,
  nombre: 'Julieta',
  apellido: 'Sosa',
  emailPersonal: `j${dni}@example.com`,
  emailInstitucional: null,
  carrera: 'Biología',
  estado: 'ingresante',
  periodo: '2027',
});
const sellado = { alg: 'A256GCM' as const, kid: 'k', iv: 'aa', tag: 'bb', ct: 'cc' };

export async function onboardeado(gw: TestGateway, tap: BrokerTap, dni: string) {
  const alumnoId = randomUUID();
  const alumno = datosDe(dni);
  const upn = `j${dni}@lucy.example`;
  await tap.publish(AlumnoCreado, { alumnoId, loteId: null, alumno });
  await waitFor(async () => (await gw.api(`/alumnos/${alumnoId}`)).status === 200, 'the student');
  await tap.publish(CuentaTeamsCreada, {
    alumnoId,
    upn,
    graphUserId: `g-${dni}`,
    existente: false,
    credencial: sellado,
    credencialVersion: 1,
    alumno,
  });
  await tap.publish(MoodleEnrolado, { alumnoId, moodleUserId: 7, username: upn, cursos: [] });
  await tap.publish(EmailEnviado, {
    alumnoId,
    plantilla: 'credenciales',
    destinatario: alumno.emailPersonal!,
    credencialVersion: 1,
    smtpMessageId: null,
  });
  await waitFor(async () => (await gw.api(`/alumnos/${alumnoId}`)).body.workflow.estado === 'completado', 'onboarded');
  return { alumnoId, alumno, upn, graphUserId: `g-${dni}` };
}
