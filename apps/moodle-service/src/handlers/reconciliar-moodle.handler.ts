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
import { compararMoodle, cursosDeLucy, type Enrolado } from '../reconciliacion/comparacion.js';
import { RegistroMoodleRepository } from '../reconciliacion/registro.repository.js';

/** Users asked for in one core_user_get_users_by_field call; people read per core_enrol_get_enrolled_users page. */
const USUARIOS_POR_LLAMADA = 100;
const ENROLADOS_POR_PAGINA = 200;

/**
 * The Moodle side of a reconciliation: everyone enrolled in each of Lucy's courses, page by page
 * (core_enrol_get_enrolled_users with limitfrom / limitnumber), then the users Lucy recorded that no course
 * listed, looked up by id in batches (core_user_get_users_by_field). Neither function returns a deleted
 * user (enrollib's get_enrolled_sql and the lookup both require u.deleted = 0), so a user seen in a course
 * exists and is not asked for again: a student body enrolled in Lucy's courses costs the course pages only.
 * Each call takes its slot of the shared Moodle rate when it is made, with no transaction open. Nothing is
 * written to Moodle.
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
    const alumnos = cmd.alumnos.map((a) => a.alumnoId);
    const esperados = new Set(alumnos);
    const enrolados = new Map<number, Enrolado[]>();
    for (const curso of cursosDeLucy(inscripciones).keys()) enrolados.set(curso, await this.enrolados(curso));
    const existentes = new Set([...enrolados.values()].flatMap((gente) => gente.map((g) => g.userId)));
    const ids = [...new Set(usuarios.filter((u) => esperados.has(u.alumnoId)).map((u) => u.moodleUserId))].filter(
      (id) => !existentes.has(id),
    );
    for (let i = 0; i < ids.length; i += USUARIOS_POR_LLAMADA)
      for (const u of await this.moodle.usuariosPor('id', ids.slice(i, i + USUARIOS_POR_LLAMADA))) existentes.add(u.id);
    const diferencias = compararMoodle({
      alumnos,
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
      revisados: alumnos.length + [...enrolados.values()].reduce((n, g) => n + g.length, 0),
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
