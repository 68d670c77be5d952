import {
  DiferenciasEncontradas,
  enPartes,
  ReconciliacionParcialFallida,
  ReconciliacionParcialTerminada,
  ReconciliarMoodle,
} from '@lucy/contracts';
import { Handler, type OwnTransactionContext } from '@lucy/messaging';
import { InjectConfig } from '@lucy/platform';
import type { MoodleConfig } from '../config.js';
import { MoodleClient } from '../moodle/moodle.client.js';
import { compararMoodle, cursosDeLucy, type Enrolado, type UsuarioEnMoodle } from '../reconciliacion/comparacion.js';
import { RegistroMoodleRepository } from '../reconciliacion/registro.repository.js';

/** Users asked for in one core_user_get_users_by_field call; people read per core_enrol_get_enrolled_users page. */
const USUARIOS_POR_LLAMADA = 100;
const ENROLADOS_POR_PAGINA = 200;

/**
 * The Moodle side of a reconciliation: the users Lucy recorded, looked up by id in batches
 * (core_user_get_users_by_field: a deleted user is not returned; the others come with their suspension and
 * profile), and everyone enrolled in each of Lucy's courses, page by page (core_enrol_get_enrolled_users
 * with limitfrom / limitnumber). Each call takes its slot of the shared Moodle rate when it is made, with no
 * transaction open. Nothing is written to Moodle.
 */
@Handler(ReconciliarMoodle, {
  transaction: 'own',
  lease: () => 'reconciliacion-moodle',
  onFailure: {
    event: ReconciliacionParcialFallida,
    payload: (c, fallo) => ({ reconciliacionId: c.reconciliacionId, sistema: 'moodle' as const, ...fallo }),
  },
})
export class ReconciliarMoodleHandler {
  constructor(
    @InjectConfig() private readonly config: MoodleConfig,
    private readonly moodle: MoodleClient,
    private readonly registro: RegistroMoodleRepository,
  ) {}

  async handle(cmd: ReconciliarMoodle, ctx: OwnTransactionContext) {
    const { usuarios, inscripciones } = await ctx.transaction((m) => this.registro.leer(m));
    const esperados = new Set(cmd.alumnos.map((a) => a.alumnoId));
    const ids = [...new Set(usuarios.filter((u) => esperados.has(u.alumnoId)).map((u) => u.moodleUserId))];
    const existentes = new Map<number, UsuarioEnMoodle>();
    for (let i = 0; i < ids.length; i += USUARIOS_POR_LLAMADA)
      for (const u of await this.moodle.usuariosPor('id', ids.slice(i, i + USUARIOS_POR_LLAMADA)))
        existentes.set(u.id, u);
    const enrolados = new Map<number, Enrolado[]>();
    for (const curso of cursosDeLucy(inscripciones).keys()) enrolados.set(curso, await this.enrolados(curso));
    const diferencias = compararMoodle({
      alumnos: cmd.alumnos,
      usuarios,
      inscripciones,
      existentes,
      enrolados,
      rolAlumno: this.config.MOODLE_STUDENT_ROLE_ID,
    });
    const partes = enPartes(diferencias);
    partes.forEach((parte, i) =>
      ctx.publish(DiferenciasEncontradas, {
        reconciliacionId: cmd.reconciliacionId,
        sistema: 'moodle',
        parte: i,
        diferencias: parte,
      }),
    );
    ctx.publish(ReconciliacionParcialTerminada, {
      reconciliacionId: cmd.reconciliacionId,
      sistema: 'moodle',
      partes: partes.length,
      diferencias: diferencias.length,
      revisados: cmd.alumnos.length + [...enrolados.values()].reduce((n, g) => n + g.length, 0),
    });
    await ctx.commit();
  }

  private async enrolados(curso: number): Promise<Enrolado[]> {
    const todos: Enrolado[] = [];
    for (let desde = 0; ; desde += ENROLADOS_POR_PAGINA) {
      const pagina = await this.moodle.enroladosPagina(curso, desde, ENROLADOS_POR_PAGINA);
      for (const p of pagina)
        todos.push({ userId: p.id, username: p.username ?? null, roles: (p.roles ?? []).map((r) => r.roleid) });
      if (pagina.length < ENROLADOS_POR_PAGINA) return todos;
    }
  }
}
