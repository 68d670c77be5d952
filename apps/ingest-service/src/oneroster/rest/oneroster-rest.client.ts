// A OneRoster 1.1 REST server as a source (IMS OneRoster 1.1, REST binding): GET /students, /classes,
// /courses, /enrollments, /orgs and /academicSessions under /ims/oneroster/v1p1 (or one object by its
// sourcedId), each collection paged with limit/offset until X-Total-Count is read
// (following the Link header's rel="next" when the server sends one), and, after a first full read,
// only what changed: filter=dateLastModified>'<instant>'. Requests are signed with OAuth 1.0a
// HMAC-SHA256 (1.1's requirement) or carry an OAuth 2 client-credentials bearer token (what 1.2 servers
// offer), as configured. Every request goes through the guard (libs/resilience), as SIAL's do: a 429
// pauses every caller for its Retry-After, a server that does not answer opens the breaker.
// Knows OneRoster, not our domain: it returns the server's objects as they are (mapping is elsewhere).
import axios, { type AxiosInstance, type AxiosResponse } from 'axios';
import { z } from 'zod';
import { PermanentError, TransientError } from '@lucy/messaging';
import type { DependencyGuard } from '@lucy/resilience';
import { oauth1Authorization, type OAuth1Credentials } from './oauth1-signer.js';
import { OAuth2Token, type OAuth2Credentials } from './oauth2-token.js';
import { oneRosterError } from './oneroster-rest.errors.js';
import {
  type ClaseOneRoster,
  type CursoOneRoster,
  type InscripcionOneRoster,
  type OrgOneRoster,
  type SesionOneRoster,
  type UsuarioOneRoster,
  ENVELOPES,
} from './oneroster-rest.records.js';

export interface OneRosterRestOptions {
  /** The server's root, without /ims/oneroster/v1p1. */
  baseUrl: string;
  auth: ({ kind: 'oauth1' } & OAuth1Credentials) | ({ kind: 'oauth2' } & OAuth2Credentials);
  /** `limit` asked per page (servers cap it; the default of the binding is 100). */
  pageSize?: number;
  timeoutMs?: number;
  /**
   * How far before the previous read's start a delta read looks back: the server stamps with its own
   * clock, ours may be ahead. Reading a change twice is harmless (rows are compared), missing one is not.
   */
  overlapMs?: number;
}

export const ONEROSTER_PATH = '/ims/oneroster/v1p1';

/** What one read brought, and the instant to ask changes from next time (if the read is kept). */
export interface LecturaOneRoster {
  alumnos: UsuarioOneRoster[];
  clases: ClaseOneRoster[];
  /** The classes' courses (their courseCode places a class in Moodle). */
  cursos: CursoOneRoster[];
  inscripciones: InscripcionOneRoster[];
  /** Full (no filter) or only changes since `desde`. */
  modo: 'completa' | 'cambios';
  /** Taken before the first request: the `desde` of the next delta read once this one is applied. */
  marca: Date;
}

type Coleccion = keyof typeof ENVELOPES;
/** What each collection's read returns. */
interface Registros {
  students: UsuarioOneRoster;
  classes: ClaseOneRoster;
  courses: CursoOneRoster;
  enrollments: InscripcionOneRoster;
  orgs: OrgOneRoster;
  academicSessions: SesionOneRoster;
}

export class OneRosterRestClient {
  private readonly http: AxiosInstance;
  private readonly token?: OAuth2Token;
  private readonly root: string;

  constructor(
    private readonly opts: OneRosterRestOptions,
    private readonly guard: DependencyGuard,
    private readonly now: () => number = Date.now,
  ) {
    this.root = `${opts.baseUrl.replace(/\/+$/, '')}${ONEROSTER_PATH}`;
    this.http = axios.create({
      timeout: opts.timeoutMs ?? 30_000,
      maxRedirects: 0,
      headers: { Accept: 'application/json' },
    });
    if (opts.auth.kind === 'oauth2') this.token = new OAuth2Token(opts.auth, opts.timeoutMs ?? 30_000, now);
  }

  /** Students, classes, courses and enrollments: all of them, or (with `desde`) those changed after it. */
  async leer(desde?: Date): Promise<LecturaOneRoster> {
    const marca = new Date(this.now());
    const alumnos = await this.listar('students', desde);
    const clases = await this.listar('classes', desde);
    const cursos = await this.listar('courses', desde);
    const inscripciones = await this.listar('enrollments', desde);
    return { alumnos, clases, cursos, inscripciones, modo: desde ? 'cambios' : 'completa', marca };
  }

  async listar<C extends Coleccion>(coleccion: C, desde?: Date): Promise<Registros[C][]> {
    if (!desde) return this.listarDonde(coleccion);
    const since = new Date(desde.getTime() - (this.opts.overlapMs ?? 60_000));
    return this.listarDonde(coleccion, `dateLastModified>'${since.toISOString()}'`);
  }

  /** One object by its sourcedId; undefined when the server has none (404). */
  async uno<C extends Coleccion>(coleccion: C, sourcedId: string): Promise<Registros[C] | undefined> {
    const { one, item } = ENVELOPES[coleccion];
    const donde = `${coleccion}/${sourcedId}`;
    let res: AxiosResponse;
    try {
      res = await this.get(`${coleccion}/${encodeURIComponent(sourcedId)}`, {}, donde);
    } catch (err) {
      if (err instanceof PermanentError && err.code === 'oneroster-404') return undefined;
      throw err;
    }
    const o = item.safeParse((res.data as Record<string, unknown> | undefined)?.[one]);
    if (!o.success)
      throw new PermanentError(`OneRoster ${donde}: respuesta sin "${one}" válido`, 'oneroster-respuesta');
    return o.data as Registros[C];
  }

  /** Every page of a collection, with a `filter` (the binding's Filtering grammar) or without. */
  async listarDonde<C extends Coleccion>(coleccion: C, filter?: string): Promise<Registros[C][]> {
    const { envelope, item } = ENVELOPES[coleccion];
    const limit = this.opts.pageSize ?? 100;
    const query: Record<string, string> = filter ? { filter } : {};
    // A delta read may see an object twice (it changed while we paged): the later copy wins.
    const porId = new Map<string, Registros[C]>();
    let offset = 0;
    let total = Infinity;
    for (let pagina = 1; offset < total; pagina++) {
      const donde = `${coleccion} (página ${pagina})`;
      const res = await this.get(coleccion, { ...query, limit: String(limit), offset: String(offset) }, donde);
      const body = z.object({ [envelope]: z.array(z.unknown()) }).safeParse(res.data);
      if (!body.success)
        throw new PermanentError(
          `OneRoster ${donde}: respuesta sin "${envelope}" (¿URL correcta?)`,
          'oneroster-respuesta',
        );
      const objetos = (body.data as Record<string, unknown[]>)[envelope]!;
      objetos.forEach((raw, i) => {
        const o = item.safeParse(raw);
        if (!o.success)
          throw new PermanentError(
            `OneRoster ${donde}: objeto ${offset + i} inválido: ${o.error.issues.map((x) => `${x.path.join('.')}: ${x.message}`).join('; ')}`,
            'oneroster-respuesta',
          );
        porId.set(o.data.sourcedId, o.data as Registros[C]);
      });
      const header = Number(res.headers['x-total-count']);
      total = Number.isFinite(header) ? header : objetos.length < limit ? offset + objetos.length : Infinity;
      const next = nextOffset(res.headers.link);
      // A server's next link is followed for its offset only: its host may be an internal one.
      offset = next ?? offset + objetos.length;
      if (objetos.length === 0 && next === undefined) break;
      if (pagina > Math.ceil((Number.isFinite(total) ? total : offset) / Math.max(1, limit)) + 2)
        throw new TransientError(
          `OneRoster ${coleccion}: la paginación no termina (página ${pagina})`,
          'oneroster-pagina',
        );
    }
    return [...porId.values()];
  }

  private async get(path: string, query: Record<string, string>, donde: string): Promise<AxiosResponse> {
    const url = new URL(`${this.root}/${path}`);
    for (const [k, v] of Object.entries(query)) url.searchParams.set(k, v);
    return this.guard.call('read', async (signal) => {
      for (let intento = 1; ; intento++) {
        try {
          const authorization =
            this.opts.auth.kind === 'oauth1'
              ? oauth1Authorization('GET', url, this.opts.auth, this.now)
              : `Bearer ${await this.token!.get(signal)}`;
          return await this.http.get(url.toString(), { headers: { authorization }, responseType: 'json', signal });
        } catch (err) {
          // A refused bearer token may just be stale (revoked, or its clock ahead of ours): one new token.
          if (this.token && intento === 1 && (err as { response?: { status?: number } }).response?.status === 401) {
            this.token.forget();
            continue;
          }
          throw oneRosterError(err, donde);
        }
      }
    });
  }
}

/** The offset of the Link header's rel="next" (RFC 8288), if any. */
export function nextOffset(link: unknown): number | undefined {
  if (typeof link !== 'string') return undefined;
  for (const part of link.split(/,(?=\s*<)/)) {
    const m = /<([^>]*)>\s*;(.*)/.exec(part.trim());
    if (!m || !/\brel="?([^";]*\s)?next(\s[^";]*)?"?/.test(m[2]!)) continue;
    const o = Number(new URL(m[1]!, 'http://x').searchParams.get('offset'));
    if (Number.isInteger(o) && o >= 0) return o;
  }
  return undefined;
}
