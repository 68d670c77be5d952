// What the checks look at, read after the run from the stand-ins (what the outside world ended up with:
// Entra users, Moodle users and enrolments, the emails received, the SIAL cohort) and from the gateway's
// API (each student's workflow, the lote, the parked messages). Only reads.
import { json } from './http.js';

export interface Lote {
  id: string;
  estado: string;
  total: number;
  completados: number;
  conAvisos: number;
  fallidos: number;
  enCurso: number;
  pendientes: number;
  porcentaje: number;
  desglose: Record<string, number>;
  ingesta: {
    nuevos: number | null;
    actualizados: number | null;
    sinCambios: number | null;
    invalidos: { fila: number; fuente: string; dni: string | null; motivos: string[] }[];
  };
}

export interface Alumno {
  alumnoId: string;
  dni: string | null;
  upn: string | null;
  workflow: { estado: string; error: string | null; avisos: string[] };
}

export interface GraphUser {
  id: string;
  userPrincipalName: string;
  employeeId: string | null;
  state: 'active' | 'deleted' | 'purged';
  accountEnabled: unknown;
}

export interface MoodleUser {
  id: number;
  username: string;
  email: string;
  deleted: boolean;
}

export interface Email {
  to: string[];
  /** The UPN the credentials are for, read from the text where one address got several messages. */
  upn: string | null;
}

export interface Evidence {
  lote: Lote;
  /** Every DNI the SIAL cohort holds, as written there (dots, spaces and all). */
  sialDnis: string[];
  alumnos: Alumno[];
  graphUsers: GraphUser[];
  moodleUsers: MoodleUser[];
  enrolments: { userid: number; courseid: number }[];
  emails: Email[];
  parked: { servicio: string; aparcados: number }[];
}

export interface Endpoints {
  gateway: string;
  token: string;
  sandboxAdmin: string;
  mailbox: string;
}

export async function collectEvidence(e: Endpoints, loteId: string): Promise<Evidence> {
  const api = <T>(path: string) => json<T>(`${e.gateway}/api/v1${path}`, { token: e.token });
  const admin = <T>(path: string) => json<T>(`${e.sandboxAdmin}/_admin${path}`);
  const [lote, alumnos, sial, graph, moodleUsers, enrolments, parked] = await Promise.all([
    api<Lote>(`/lotes/${loteId}`),
    allPages<Alumno>((limit, offset) => api(`/alumnos?loteId=${loteId}&limit=${limit}&offset=${offset}`)),
    Promise.all(
      ['aspirantes', 'preinscriptos', 'ingresantes'].map((l) => admin<{ dni: string }[]>(`/sial/records/${l}`)),
    ),
    admin<{ users: GraphUser[] }>('/graph/users'),
    admin<MoodleUser[]>('/moodle/users?deleted=true'),
    admin<{ userid: number; courseid: number }[]>('/moodle/enrolments'),
    api<{ servicio: string; aparcados: number }[]>('/dlq'),
  ]);
  const upns = alumnos.map((a) => a.upn).filter((u): u is string => Boolean(u));
  return {
    lote,
    sialDnis: sial.flat().map((r) => r.dni),
    alumnos,
    graphUsers: graph.users,
    moodleUsers,
    enrolments,
    emails: await readEmails(e.mailbox, upns),
    parked,
  };
}

async function allPages<T>(
  page: (limit: number, offset: number) => Promise<{ total: number; items: T[] }>,
): Promise<T[]> {
  const out: T[] = [];
  for (let offset = 0; ; offset += 200) {
    const p = await page(200, offset);
    out.push(...p.items);
    if (p.items.length === 0 || out.length >= p.total) return out;
  }
}

interface Summary {
  ID: string;
  To: { Address: string }[];
}

/**
 * Every message in the inbox. Two students may share a personal address (generated ones collide), so an
 * address with several messages has each one's text read for the UPN the credentials are for.
 */
async function readEmails(mailbox: string, upns: string[]): Promise<Email[]> {
  const list = await json<{ messages: Summary[] }>(`${mailbox}/api/v1/messages?limit=100000`);
  const perAddress = new Map<string, number>();
  const key = (m: Summary) =>
    m.To.map((t) => t.Address.toLowerCase())
      .sort()
      .join(',');
  for (const m of list.messages) perAddress.set(key(m), (perAddress.get(key(m)) ?? 0) + 1);
  const known = new Set(upns.map((u) => u.toLowerCase()));
  const out: Email[] = [];
  for (const m of list.messages) {
    let upn: string | null = null;
    if (perAddress.get(key(m))! > 1) {
      const full = await json<{ Text: string }>(`${mailbox}/api/v1/message/${m.ID}`);
      upn =
        (full.Text.match(/[\w.+-]+@[\w.-]+\.\w+/g) ?? []).map((s) => s.toLowerCase()).find((s) => known.has(s)) ?? null;
    }
    out.push({ to: m.To.map((t) => t.Address.toLowerCase()), upn });
  }
  return out;
}
