// The Entra side of a reconciliation, against the real RabbitMQ and PostgreSQL and the sandbox's Graph: the
// first run reads every user (users/delta from scratch), later ones only the changes since the deltaLink it
// kept, and both compare every account thanks to the mirror; each page is a read through the guard.
import { randomUUID } from 'node:crypto';
import {
  AlumnoCreado,
  CuentaTeamsCreada,
  ReconciliacionParcialTerminada,
  ReconciliarCuentas,
  DiferenciasEncontradas,
  type AlumnoEsperado,
  type Diferencia,
} from '@lucy/contracts';
import { BrokerTap, onEvents, startTestSandbox, waitFor, type TestSandboxWithGraph } from '@lucy/testing';
import { nuevoAlumno, startTeams, type RunningTeams } from './support/teams-service.js';

const DOMINIO = 'estudiantes.unrc.edu.ar';

describe('teams-service reconciles the registry with Entra', () => {
  let sandbox: TestSandboxWithGraph;
  let teams: RunningTeams;
  let tap: BrokerTap;
  const esperados: AlumnoEsperado[] = [];
  const ids: string[] = [];

  beforeAll(async () => {
    sandbox = await startTestSandbox();
    teams = await startTeams(sandbox, { GRAPH_BREAKER_VOLUME_THRESHOLD: '1000' });
    tap = await BrokerTap.open([onEvents('reconciliacion.#')], { url: teams.config.RABBITMQ_URL });
    for (let i = 0; i < 3; i++) {
      const evento = { alumnoId: randomUUID(), loteId: null, alumno: nuevoAlumno() };
      const { env } = await teams.broker.reply(CuentaTeamsCreada, await teams.broker.publish(AlumnoCreado, evento));
      esperados.push({ alumnoId: evento.alumnoId, upn: env.payload.upn, alumno: evento.alumno, cuenta: 'habilitada' });
      ids.push(env.payload.graphUserId);
    }
    // A user nobody asked Lucy for, in the students' domain; and a staff account elsewhere.
    const password = { password: 'Xy7!kPq9#mLw2$vT', forceChangePasswordNextSignIn: true };
    sandbox.graph.store.createUser({
      userPrincipalName: `intruso@${DOMINIO}`,
      displayName: 'Intruso',
      accountEnabled: true,
      mailNickname: 'intruso',
      passwordProfile: password,
    });
    sandbox.graph.store.createUser({
      userPrincipalName: 'staff@lucy.onmicrosoft.com',
      displayName: 'Staff',
      accountEnabled: true,
      mailNickname: 'staff',
      passwordProfile: password,
    });
  }, 60_000);

  afterAll(async () => {
    await tap?.close();
    await teams?.stop();
    await sandbox?.close();
  });

  async function reconciliar(alumnos: AlumnoEsperado[]) {
    const reconciliacionId = randomUUID();
    await teams.broker.publish(ReconciliarCuentas, { reconciliacionId, alumnos });
    const fin = await waitFor(
      () => tap.of(ReconciliacionParcialTerminada, { reconciliacionId })[0],
      'the Entra side to answer',
      { timeoutMs: 20_000 },
    );
    const diferencias: Diferencia[] = tap
      .of(DiferenciasEncontradas, { reconciliacionId })
      .sort((a, b) => a.parte - b.parte)
      .flatMap((p) => p.diferencias);
    expect(diferencias).toHaveLength(fin.diferencias);
    return { fin, diferencias };
  }
  const deltaPages = () => sandbox.ctx.counters.total('graph', { endpoint: 'GET /users/delta' });

  it('a first run reads every user and finds only the orphan in the students’ domain', async () => {
    const antes = deltaPages();
    const { fin, diferencias } = await reconciliar(esperados);
    expect(fin).toMatchObject({ sistema: 'entra', completa: true, partes: 1, diferencias: 1 });
    expect(diferencias).toEqual([
      expect.objectContaining({ tipo: 'huerfano', alumnoId: null, referencia: `intruso@${DOMINIO}` }),
    ]);
    expect(deltaPages()).toBeGreaterThan(antes);
    const [estado] = (await teams.db.query(`SELECT delta_link FROM "${teams.config.DB_SCHEMA}".entra_delta`)).rows;
    expect(estado.delta_link).toContain('$deltatoken=');
  });

  it('a later run reads only the changes, yet compares every account against the mirror', async () => {
    const [a, b, c] = esperados;
    sandbox.graph.store.deleteUser(ids[0]);
    sandbox.graph.store.updateUser(ids[1], { accountEnabled: false, department: 'Otra' });
    sandbox.graph.store.assignLicense(ids[2], [], ['314c4481-f395-4525-be8b-2ec4bb1e9d91']);
    const suspendido = { ...c, cuenta: 'deshabilitada' as const };

    const { fin, diferencias } = await reconciliar([a, b, suspendido]);
    expect(fin.completa).toBe(false);
    const por = (tipo: string) => diferencias.filter((d) => d.tipo === tipo).map((d) => d.alumnoId);
    expect(por('cuenta_faltante')).toEqual([a.alumnoId]);
    expect(por('cuenta_deshabilitada')).toEqual([b.alumnoId]);
    expect(por('datos_distintos')).toEqual([b.alumnoId]);
    expect(diferencias.find((d) => d.tipo === 'datos_distintos')).toMatchObject({ campos: ['department'] });
    expect(por('cuenta_habilitada')).toEqual([c.alumnoId]);
    expect(por('licencia_faltante')).toEqual([c.alumnoId]);
    expect(por('huerfano')).toEqual([null]);
    expect(diferencias).toHaveLength(6);
  });

  it('a link Graph no longer knows starts a full round, with the same comparison', async () => {
    sandbox.graph.store.configure({ deltaTokenLifetimeSeconds: 0 });
    try {
      const { fin, diferencias } = await reconciliar(esperados);
      expect(fin.completa).toBe(true);
      expect(diferencias.map((d) => d.tipo).sort()).toEqual(
        ['cuenta_faltante', 'cuenta_deshabilitada', 'datos_distintos', 'licencia_faltante', 'huerfano'].sort(),
      );
    } finally {
      sandbox.graph.store.configure({ deltaTokenLifetimeSeconds: 7 * 86_400 });
    }
  });
});
