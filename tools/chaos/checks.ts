// The promises a chaos run checks, each a pure function of the evidence: every student settled, none
// lost, none with two accounts, enrolments or emails, nothing parked, and no live account for a student
// who failed. A check reports how many it looked at, how many broke the promise, and a few examples.
import { TERMINALES } from '../../apps/gateway/src/sagas/onboarding.model.js';
import type { Evidence } from './evidence.js';

export interface CheckResult {
  name: string;
  pass: boolean;
  /** How many were looked at, and how many broke the promise. */
  checked: number;
  failed: number;
  /** A few of the offenders, for a first look. */
  examples: string[];
}

/** The registry's key: digits once dots and spaces are gone (apps/ingest-service/src/domain/dni.ts). */
export const dniKey = (raw: string | null | undefined): string | null => {
  const d = String(raw ?? '').replace(/[.\s]/g, '');
  return /^\d{7,8}$/.test(d) ? d : null;
};

/** States in which a student counts as failed: the account step failed, or the undo ran. */
const FALLIDOS = new Set(['fallido', 'compensado', 'compensacion_fallida']);

function result(name: string, checked: number, offenders: string[]): CheckResult {
  return { name, pass: offenders.length === 0, checked, failed: offenders.length, examples: offenders.slice(0, 5) };
}

function groups<T>(items: T[], key: (t: T) => string | null): Map<string, T[]> {
  const out = new Map<string, T[]>();
  for (const item of items) {
    const k = key(item);
    if (k !== null) out.set(k, [...(out.get(k) ?? []), item]);
  }
  return out;
}

export function settled(e: Evidence): CheckResult {
  const terminal = new Set<string>(TERMINALES);
  const open = e.alumnos
    .filter((a) => !terminal.has(a.workflow.estado))
    .map((a) => `${a.alumnoId}: ${a.workflow.estado}`);
  const unreleased = Math.max(0, e.lote.total - e.alumnos.length);
  if (unreleased) open.push(`${unreleased} of the lote's ${e.lote.total} students have no workflow yet (pendientes)`);
  return result('every student settled (terminal workflow state)', e.lote.total, open);
}

export function noneLost(e: Evidence): CheckResult {
  const refused = new Set(e.lote.ingesta.invalidos.map((r) => dniKey(r.dni)));
  const withWorkflow = new Set(e.alumnos.map((a) => dniKey(a.dni)));
  const cohort = new Set(e.sialDnis.map(dniKey).filter((d): d is string => d !== null && !refused.has(d)));
  const lost = [...cohort].filter((d) => !withWorkflow.has(d)).map((d) => `DNI ${d}: no workflow`);
  return result('none lost (every valid DNI of the cohort has a workflow)', cohort.size, lost);
}

export function oneAccountEach(e: Evidence): CheckResult {
  const live = e.graphUsers.filter((u) => u.state === 'active');
  const offenders = [...groups(live, (u) => u.employeeId)]
    .filter(([, us]) => us.length > 1)
    .map(([dni, us]) => `employeeId ${dni}: ${us.map((u) => u.userPrincipalName).join(', ')}`);
  return result('no two Entra accounts for one DNI (employeeId)', live.length, offenders);
}

export function noDuplicateEnrolments(e: Evidence): CheckResult {
  // A student's Moodle user is the one named by their UPN; a second user for them would share the email.
  const upns = new Set(e.alumnos.map((a) => a.upn?.toLowerCase()).filter(Boolean));
  const students = new Map(
    e.moodleUsers
      .filter((u) => !u.deleted)
      .map((u) => [
        u.id,
        upns.has(u.username.toLowerCase()) ? u.username.toLowerCase() : `email:${u.email.toLowerCase()}`,
      ]),
  );
  const per = groups(e.enrolments, (x) =>
    students.has(x.userid) ? `${students.get(x.userid)} in course ${x.courseid}` : null,
  );
  const offenders = [...per].filter(([, xs]) => xs.length > 1).map(([k, xs]) => `${k}: ${xs.length} enrolments`);
  return result('no student enrolled twice in a course', e.enrolments.length, offenders);
}

export function noDuplicateEmails(e: Evidence): CheckResult {
  const per = groups(e.emails, (m) => `${m.to.join(',')}${m.upn ? ` (${m.upn})` : ''}`);
  const offenders = [...per].filter(([, ms]) => ms.length > 1).map(([k, ms]) => `${k}: ${ms.length} emails`);
  return result('no student emailed their credentials twice', e.emails.length, offenders);
}

export function nothingParked(e: Evidence): CheckResult {
  const offenders = e.parked.filter((s) => s.aparcados > 0).map((s) => `${s.servicio}: ${s.aparcados} parked`);
  const total = e.parked.reduce((n, s) => n + s.aparcados, 0);
  return { ...result('no parked messages (DLQ)', e.parked.length, offenders), failed: total };
}

export function noLiveAccountForFailed(e: Evidence): CheckResult {
  const failed = e.alumnos.filter((a) => FALLIDOS.has(a.workflow.estado));
  const byDni = groups(e.graphUsers, (u) => u.employeeId);
  const offenders = failed.flatMap((a) =>
    (byDni.get(dniKey(a.dni) ?? '') ?? [])
      .filter((u) => u.state === 'active' && u.accountEnabled !== false)
      .map((u) => `${a.alumnoId} (${a.workflow.estado}): ${u.userPrincipalName} enabled`),
  );
  return result('no enabled account left for a failed student', failed.length, offenders);
}

export const CHECKS = [
  settled,
  noneLost,
  oneAccountEach,
  noDuplicateEnrolments,
  noDuplicateEmails,
  nothingParked,
  noLiveAccountForFailed,
];

export const runChecks = (e: Evidence): CheckResult[] => CHECKS.map((check) => check(e));
