// What a OneRoster REST pull asks the server, full or incremental:
//   - full (the first pull, or one asked `completa`): every student, class and enrollment, page by page;
//   - incremental: students, classes and enrollments with filter=dateLastModified>'<mark>'. A student
//     whose record changed but whose enrollments did not still needs them for their periodo, and a student
//     whose enrollments changed but whose record did not still needs their record: for each student the
//     changes touch, their record (GET /students/{id}) unless it came, their enrollments
//     (filter=user.sourcedId='<id>') and the classes those name (GET /classes/{id}) unless they came. Past
//     AFECTADOS_MAX students that is more requests than reading students, enrollments and classes whole,
//     so then it does that. A server that does not filter on a nested field (user.sourcedId: the binding's
//     filter examples are on an object's own fields) refuses it with 400 invalid_filter_field: then the
//     pull reads enrollments whole, once, and takes the touched students' from them. A class whose term changed alone reaches its students at the next full pull;
//   - always whole: orgs and academicSessions, a few dozen objects that name the carrera and the periodo,
//     and, when cursosOneRoster maps classes by course code, courses (the catalogue names the code).
// Nothing here is kept: the mark is the handler's, moved only once the pull's lote is applied.
import { Injectable, Logger } from '@nestjs/common';
import { PermanentError } from '@lucy/messaging';
import { InjectConfig } from '@lucy/platform';
import { InjectGuard, type DependencyGuard } from '@lucy/resilience';
import type { IngestConfig } from '../../config.js';
import { OneRosterRestClient, type OneRosterRestOptions } from './oneroster-rest.client.js';
import { esFiltroRechazado } from './oneroster-rest.errors.js';
import type { LeidoOneRoster } from './oneroster-rest.lectura.js';
import type { ClaseOneRoster, InscripcionOneRoster, UsuarioOneRoster } from './oneroster-rest.records.js';

/** A GUIDRef's sourcedId (a removed object's stub has none). */
const idDe = (x: unknown): string | undefined => {
  const id = (x as { sourcedId?: unknown } | undefined)?.sourcedId;
  return typeof id === 'string' ? id : undefined;
};

/** Beyond this many students touched by the changes, enrollments and classes are read whole. */
export const AFECTADOS_MAX = 50;

export function opcionesDe(c: IngestConfig): OneRosterRestOptions | null {
  if (!c.ONEROSTER_URL) return null;
  const auth: OneRosterRestOptions['auth'] =
    c.ONEROSTER_AUTH === 'oauth1'
      ? { kind: 'oauth1', consumerKey: c.ONEROSTER_CONSUMER_KEY!, consumerSecret: c.ONEROSTER_CONSUMER_SECRET! }
      : {
          kind: 'oauth2',
          tokenUrl: c.ONEROSTER_TOKEN_URL!,
          clientId: c.ONEROSTER_CLIENT_ID!,
          clientSecret: c.ONEROSTER_CLIENT_SECRET!,
          ...(c.ONEROSTER_SCOPE ? { scope: c.ONEROSTER_SCOPE } : {}),
        };
  // The mark already stands ONEROSTER_CLOCK_SKEW_MS before the pull's start: the filter asks from it exactly.
  return {
    baseUrl: c.ONEROSTER_URL,
    auth,
    pageSize: c.ONEROSTER_PAGE_SIZE,
    timeoutMs: c.ONEROSTER_TIMEOUT_MS,
    overlapMs: 0,
  };
}

@Injectable()
export class OneRosterFuente {
  private readonly client: OneRosterRestClient | null;
  private readonly log = new Logger('OneRosterFuente');

  constructor(@InjectConfig() config: IngestConfig, @InjectGuard('oneroster') guard: DependencyGuard) {
    const opciones = opcionesDe(config);
    this.client = opciones && new OneRosterRestClient(opciones, guard);
  }

  get configurada(): boolean {
    return this.client !== null;
  }

  /** Everything (no mark), or what changed after `marca`; `cursos`: the courses too. */
  async leer(marca: Date | null, { cursos = false }: { cursos?: boolean } = {}): Promise<LeidoOneRoster> {
    const c = this.client;
    if (!c)
      throw new PermanentError(
        'OneRoster: la fuente no está configurada (ONEROSTER_URL y sus credenciales)',
        'oneroster-no-configurada',
      );
    const base = marca ? await this.cambios(c, marca) : await this.todo(c);
    const orgs = await c.listar('orgs');
    const sesiones = await c.listar('academicSessions');
    return { ...base, orgs, sesiones, ...(cursos ? { cursos: await c.listar('courses') } : {}), completa: !marca };
  }

  private async todo(c: OneRosterRestClient) {
    const alumnos = await c.listar('students');
    const clases = await c.listar('classes');
    const inscripciones = await c.listar('enrollments');
    return { alumnos, clases, inscripciones };
  }

  private async cambios(c: OneRosterRestClient, marca: Date) {
    const alumnos = new Map((await c.listar('students', marca)).map((u) => [u.sourcedId, u]));
    const clases = new Map((await c.listar('classes', marca)).map((k) => [k.sourcedId, k]));
    const cambiadas = await c.listar('enrollments', marca);

    const afectados = new Set<string>(alumnos.keys());
    for (const e of cambiadas) {
      const usuario = idDe(e.user);
      if (usuario && e.role === 'student') afectados.add(usuario);
    }
    // The filter's grammar has no escape for a quote: such an id is asked the long way.
    if (afectados.size > AFECTADOS_MAX || [...afectados].some((id) => id.includes("'"))) {
      const todos = new Map((await c.listar('students')).map((u) => [u.sourcedId, u]));
      return {
        alumnos: [...afectados].flatMap((id) => alumnos.get(id) ?? todos.get(id) ?? []),
        clases: await c.listar('classes'),
        inscripciones: await c.listar('enrollments'),
      };
    }
    const inscripciones = new Map<string, InscripcionOneRoster>(cambiadas.map((e) => [e.sourcedId, e]));
    for (const e of await this.deAfectados(c, afectados)) inscripciones.set(e.sourcedId, e);
    for (const e of inscripciones.values()) {
      const clase = idDe(e.class);
      if (!clase || clases.has(clase)) continue;
      const k = await c.uno('classes', clase);
      if (k) clases.set(k.sourcedId, k);
    }
    return {
      alumnos: await this.registros(c, afectados, alumnos),
      clases: [...clases.values()] as ClaseOneRoster[],
      inscripciones: [...inscripciones.values()],
    };
  }

  /** The touched students' enrollments: asked student by student, or read whole if the server refuses the filter. */
  private async deAfectados(c: OneRosterRestClient, afectados: ReadonlySet<string>): Promise<InscripcionOneRoster[]> {
    const todas: InscripcionOneRoster[] = [];
    for (const id of afectados) {
      try {
        todas.push(...(await c.listarDonde('enrollments', `user.sourcedId='${id}'`)));
      } catch (err) {
        if (!esFiltroRechazado(err)) throw err;
        this.log.warn({
          msg: 'oneroster: the server refuses filter=user.sourcedId; reading enrollments whole for this pull',
          error: (err as Error).message,
        });
        return (await c.listar('enrollments')).filter((e) => afectados.has(idDe(e.user) ?? ''));
      }
    }
    return todas;
  }

  /** The touched students' records: those the changes brought, the others asked one by one. */
  private async registros(
    c: OneRosterRestClient,
    afectados: ReadonlySet<string>,
    traidos: ReadonlyMap<string, UsuarioOneRoster>,
  ): Promise<UsuarioOneRoster[]> {
    const todos: UsuarioOneRoster[] = [];
    for (const id of afectados) {
      const u = traidos.get(id) ?? (await c.uno('students', id));
      if (u) todos.push(u);
    }
    return todos;
  }
}
