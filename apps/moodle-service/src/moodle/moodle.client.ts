// The Moodle Web Services adapter: REST over HTTP, form-encoded PHP array parameters, JSON answers.
// It knows Moodle's functions and error shapes, not our domain. Every exchange goes through call(),
// inside the guard (libs/resilience): the shared rate limit (MOODLE_RPM), and the breaker that pauses
// the queue while Moodle is down — whose errors arrive as HTTP 200, so the whole exchange, answer read
// and sorted, runs inside the guard for it to see them.
import { Injectable } from '@nestjs/common';
import axios, { type AxiosInstance } from 'axios';
import { PermanentError } from '@lucy/messaging';
import { InjectConfig } from '@lucy/platform';
import { InjectGuard, type DependencyGuard } from '@lucy/resilience';
import { z } from 'zod';
import type { MoodleConfig } from '../config.js';
import {
  fromHttpStatus,
  fromMoodleException,
  fromNetworkFailure,
  fromUnreadableBody,
  isMoodleException,
} from './moodle.errors.js';
import { encodePhpParams, type PhpParam } from './php-params.js';

/** The fields of user_get_user_details() we use; Moodle leaves out optional ones that are empty. */
const UsuarioMoodle = z.object({
  id: z.number().int().positive(),
  username: z.string().optional(),
  firstname: z.string().optional(),
  lastname: z.string().optional(),
  email: z.string().optional(),
  idnumber: z.string().optional(),
  auth: z.string().optional(),
  suspended: z.boolean().optional(),
});
export type UsuarioMoodle = z.infer<typeof UsuarioMoodle>;

/** external_warnings(): Moodle 4.x answers core_user_update_users with these (before, null). */
const ActualizacionRespuesta = z
  .object({
    warnings: z
      .array(
        z.object({
          item: z.string().optional(),
          itemid: z.number().optional(),
          warningcode: z.union([z.string(), z.number()]),
          message: z.string(),
        }),
      )
      .optional(),
  })
  .nullable();

const CursoMoodle = z.object({
  id: z.number().int().positive(),
  shortname: z.string(),
  enrollmentmethods: z.array(z.string()).optional(),
});
export type CursoMoodle = z.infer<typeof CursoMoodle>;

const EnroladoMoodle = z.object({
  id: z.number().int().positive(),
  username: z.string().optional(),
  roles: z.array(z.object({ roleid: z.number().int() })).optional(),
});
export type EnroladoMoodle = z.infer<typeof EnroladoMoodle>;
// The answers' schemas, built once: zod builds a schema at a cost of its own, paid per call when written inline.
const Usuarios = z.array(UsuarioMoodle);
const UsuarioCreado = z.array(z.object({ id: z.number().int().positive(), username: z.string() })).length(1);
const Cursos = z.object({ courses: z.array(CursoMoodle) });
const Enrolados = z.array(z.object({ id: z.number().int() }));

// A type, not an interface: it must fit encodePhpParams' index signature.
export type NuevoUsuario = {
  username: string;
  auth: string;
  /** Only for auth plugins that keep the password in Moodle (manual). */
  password?: string;
  firstname: string;
  lastname: string;
  email: string;
  idnumber: string;
  /** PARAM_TIMEZONE: an IANA zone; absent, the user follows the server's (stored as 99). */
  timezone?: string;
};

export interface Enrolamiento {
  userid: number;
  courseid: number;
}

@Injectable()
export class MoodleClient {
  private readonly http: AxiosInstance;

  constructor(
    @InjectConfig() private readonly config: MoodleConfig,
    @InjectGuard('moodle') private readonly guard: DependencyGuard,
  ) {
    this.http = axios.create({
      // MOODLE_URL is the site root, possibly below a path (https://campus.example/moodle).
      baseURL: new URL(
        'webservice/rest/server.php',
        config.MOODLE_URL.endsWith('/') ? config.MOODLE_URL : `${config.MOODLE_URL}/`,
      ).href,
      timeout: config.MOODLE_TIMEOUT_MS,
      // Parsed here, not by axios: a 200 that is not JSON must be told apart from one that is.
      responseType: 'text',
      transformResponse: (data: unknown) => data,
      validateStatus: () => true,
      maxRedirects: 0,
    });
    // Half-open: the cheapest function there is tells whether the site answers again.
    guard.setProbe((signal) => this.exchange('core_webservice_get_site_info', {}, signal));
  }

  /**
   * One web service call. The token and the parameters travel in the POST body (never the URL, so
   * they stay out of access logs). Errors carry the function and Moodle's errorcode, never the
   * parameters: core_user_create_users carries a password.
   */
  call(wsfunction: string, params: Record<string, PhpParam> = {}): Promise<unknown> {
    // Moodle publishes no separate write budget: the kind only labels the metrics.
    return this.guard.call(/_get_/.test(wsfunction) ? 'read' : 'write', (signal) =>
      this.exchange(wsfunction, params, signal),
    );
  }

  private async exchange(wsfunction: string, params: Record<string, PhpParam>, signal: AbortSignal): Promise<unknown> {
    const body = encodePhpParams({
      wstoken: this.config.MOODLE_TOKEN,
      wsfunction,
      moodlewsrestformat: 'json',
      ...params,
    });
    let res;
    try {
      res = await this.http.post<string>('', body, {
        headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
        // axios' timeout is an idle timeout on the socket; MOODLE_TIMEOUT_MS bounds the whole call, the guard's signal its breaker's deadline.
        signal: AbortSignal.any([signal, AbortSignal.timeout(this.config.MOODLE_TIMEOUT_MS)]),
      });
    } catch (err) {
      // Not rethrown as is: an axios error holds the request, and so the token and parameters.
      throw fromNetworkFailure(wsfunction, (err as { code?: string }).code, this.config.MOODLE_TIMEOUT_MS);
    }
    if (res.status !== 200)
      throw fromHttpStatus(wsfunction, res.status, res.headers['retry-after'] as string | undefined);
    let json: unknown;
    try {
      json = JSON.parse(res.data);
    } catch {
      throw fromUnreadableBody(wsfunction);
    }
    if (isMoodleException(json)) throw fromMoodleException(wsfunction, json);
    return json;
  }

  /** core_user_get_users_by_field: deleted users are never returned; no match is []. */
  async usuariosPor(field: 'username' | 'email' | 'id', values: (string | number)[]): Promise<UsuarioMoodle[]> {
    const wsfunction = 'core_user_get_users_by_field';
    return parse(wsfunction, Usuarios, await this.call(wsfunction, { field, values }));
  }

  async crearUsuario(user: NuevoUsuario): Promise<{ id: number; username: string }> {
    const wsfunction = 'core_user_create_users';
    const [created] = parse(wsfunction, UsuarioCreado, await this.call(wsfunction, { users: [user] }));
    return created;
  }

  /**
   * core_user_update_users for one user, with only the fields given (`suspended`: 1 suspends, 0 lifts it).
   * Moodle updates each user in a transaction of its own and turns a failure into a warning instead of an
   * exception (user/externallib.php update_users), so a warning is this call's error, sorted as the same
   * errorcode thrown would be: a duplicate email is permanent, a database error transient.
   */
  async actualizarUsuario(id: number, campos: Record<string, string | number>): Promise<void> {
    const wsfunction = 'core_user_update_users';
    const res = parse(wsfunction, ActualizacionRespuesta, await this.call(wsfunction, { users: [{ ...campos, id }] }));
    const [aviso] = res?.warnings ?? [];
    if (aviso)
      throw fromMoodleException(wsfunction, {
        exception: '',
        errorcode: String(aviso.warningcode),
        message: aviso.message,
      });
  }

  /**
   * core_user_delete_users: all or nothing (one delegated transaction); Moodle marks each user deleted
   * (user_delete_user: enrolments, role assignments and their work go). It answers null; a user that is not
   * there (or deleted already) fails the call with dml_missing_record_exception, errorcode invalidrecord.
   */
  async eliminarUsuarios(ids: number[]): Promise<void> {
    if (ids.length === 0) return;
    const wsfunction = 'core_user_delete_users';
    parse(wsfunction, z.null(), await this.call(wsfunction, { userids: ids }));
  }

  /** core_course_get_courses_by_field by shortname: an unknown shortname is [] (no error). */
  async cursosPorShortname(shortname: string): Promise<CursoMoodle[]> {
    const wsfunction = 'core_course_get_courses_by_field';
    const res = parse(wsfunction, Cursos, await this.call(wsfunction, { field: 'shortname', value: shortname }));
    return res.courses;
  }

  /**
   * Ids of everyone enrolled in the course, suspended enrolments included. The userfields option
   * keeps the answer small, but it must name the two profile image URLs: the function's return
   * description (user_description() in user/externallib.php) requires them, and without them the
   * REST server's clean_returnvalue fails the whole call with invalidresponse.
   */
  async idsEnrolados(courseid: number): Promise<Set<number>> {
    const wsfunction = 'core_enrol_get_enrolled_users';
    const options = [{ name: 'userfields', value: 'id,fullname,profileimageurlsmall,profileimageurl' }];
    const users = parse(wsfunction, Enrolados, await this.call(wsfunction, { courseid, options }));
    return new Set(users.map((u) => u.id));
  }

  /**
   * One page of the people enrolled in the course (suspended enrolments included), with their roles: Moodle's
   * own paging options (limitfrom, limitnumber), sorted by id so that pages do not overlap. The userfields
   * must name the two profile image URLs for the same reason as idsEnrolados.
   */
  async enroladosPagina(courseid: number, desde: number, cuantos: number): Promise<EnroladoMoodle[]> {
    const wsfunction = 'core_enrol_get_enrolled_users';
    const options = [
      { name: 'userfields', value: 'id,fullname,username,roles,profileimageurlsmall,profileimageurl' },
      { name: 'limitfrom', value: String(desde) },
      { name: 'limitnumber', value: String(cuantos) },
      { name: 'sortby', value: 'id' },
    ];
    return parse(wsfunction, z.array(EnroladoMoodle), await this.call(wsfunction, { courseid, options }));
  }

  /**
   * enrol_manual_enrol_users: all or nothing (one delegated transaction). Enrolling someone already
   * enrolled adds nothing (enrol_plugin::enrol_user updates the one user_enrolments row, role_assign
   * reuses an existing assignment) but does re-activate a suspended enrolment and reset its dates.
   */
  async enrolar(roleid: number, enrolamientos: Enrolamiento[]): Promise<void> {
    if (enrolamientos.length === 0) return;
    await this.call('enrol_manual_enrol_users', {
      enrolments: enrolamientos.map((m) => ({ roleid, userid: m.userid, courseid: m.courseid })),
    });
  }

  /** enrol_manual_unenrol_users: someone not enrolled is not an error (unenrol_user does nothing). */
  async desenrolar(enrolamientos: Enrolamiento[]): Promise<void> {
    if (enrolamientos.length === 0) return;
    await this.call('enrol_manual_unenrol_users', {
      enrolments: enrolamientos.map((m) => ({ userid: m.userid, courseid: m.courseid })),
    });
  }
}

function parse<T>(wsfunction: string, schema: z.ZodType<T>, json: unknown): T {
  const r = schema.safeParse(json);
  if (!r.success)
    throw new PermanentError(
      `Moodle ${wsfunction}: unexpected answer (${r.error.issues[0]?.path.join('.') || 'root'}: ${r.error.issues[0]?.message})`,
      'moodle:unexpected-answer',
    );
  return r.data;
}
