// The comparison of Lucy's registry with Entra, pure: from the students as the gateway expects them, this
// service's cuenta rows and the mirror of Entra's users, every difference by kind. Nothing here calls
// Graph or decides a repair; the gateway turns differences into lifecycle workflows.
import type { AlumnoEsperado, Diferencia } from '@lucy/contracts';
import { perfilDe, type PerfilEntra } from '../domain/perfil.js';

/** A user as the mirror keeps it (users/delta's properties; null: Entra has no value). */
export interface UsuarioEntra {
  id: string;
  upn: string;
  accountEnabled: boolean | null;
  licencias: string[];
  displayName: string | null;
  givenName: string | null;
  surname: string | null;
  department: string | null;
  employeeId: string | null;
  mail: string | null;
}

/** A cuenta row as the comparison reads it: which accounts Lucy made or adopted, whatever their state. */
export interface CuentaRegistrada {
  alumnoId: string;
  upn: string;
  graphUserId: string | null;
}

export interface Comparacion {
  esperados: readonly AlumnoEsperado[];
  cuentas: readonly CuentaRegistrada[];
  usuarios: readonly UsuarioEntra[];
  /** The students' UPN domain: a user there that Lucy does not know is an orphan. */
  dominio: string;
}

const PERFIL: readonly (keyof PerfilEntra)[] = ['displayName', 'givenName', 'surname', 'department', 'employeeId'];
const lower = (s: string) => s.toLowerCase();

export function compararEntra({ esperados, cuentas, usuarios, dominio }: Comparacion): Diferencia[] {
  const porId = new Map(usuarios.map((u) => [u.id, u]));
  const porUpn = new Map(usuarios.map((u) => [lower(u.upn), u]));
  const cuentaDe = new Map(cuentas.map((c) => [c.alumnoId, c]));
  const diferencias: Diferencia[] = [];

  for (const e of esperados) {
    const cuenta = cuentaDe.get(e.alumnoId);
    const upn = cuenta?.upn ?? e.upn;
    // The id the registry kept finds the account whatever its UPN became; else its UPN.
    const u = (cuenta?.graphUserId && porId.get(cuenta.graphUserId)) || porUpn.get(lower(upn));
    const base = { alumnoId: e.alumnoId, referencia: upn };
    if (!u) {
      diferencias.push({ ...base, tipo: 'cuenta_faltante', esperado: upn, encontrado: null });
      continue;
    }
    const habilitada = u.accountEnabled !== false;
    if (e.cuenta === 'habilitada' && !habilitada)
      diferencias.push({ ...base, tipo: 'cuenta_deshabilitada', esperado: 'habilitada', encontrado: 'deshabilitada' });
    if (e.cuenta === 'deshabilitada' && habilitada)
      diferencias.push({ ...base, tipo: 'cuenta_habilitada', esperado: 'deshabilitada', encontrado: 'habilitada' });
    if (u.licencias.length === 0)
      diferencias.push({ ...base, tipo: 'licencia_faltante', esperado: 'una licencia', encontrado: 'ninguna' });
    const datos = datosDistintos(u, perfilDe(e.alumno), upn);
    if (datos) diferencias.push({ ...base, tipo: 'datos_distintos', ...datos });
  }

  // Orphans: users in the students' domain that no cuenta row (of any state) names. Reported, never touched.
  const ids = new Set(cuentas.map((c) => c.graphUserId).filter((id): id is string => !!id));
  const upns = new Set(cuentas.map((c) => lower(c.upn)));
  const sufijo = `@${lower(dominio)}`;
  for (const u of usuarios) {
    if (!lower(u.upn).endsWith(sufijo) || ids.has(u.id) || upns.has(lower(u.upn))) continue;
    diferencias.push({
      alumnoId: null,
      tipo: 'huerfano',
      referencia: u.upn,
      esperado: null,
      encontrado: `${u.displayName ?? u.upn} (${u.id})`,
    });
  }
  return diferencias;
}

/**
 * The profile properties whose value in Entra is not the one Lucy derives from the student (perfilDe), and
 * `mail` when Entra has one that is not the UPN (Exchange derives it from the UPN; Lucy never writes it).
 */
function datosDistintos(
  u: UsuarioEntra,
  perfil: PerfilEntra,
  upn: string,
): Pick<Diferencia, 'esperado' | 'encontrado' | 'campos'> | null {
  const campos: string[] = PERFIL.filter((c) => (u[c] ?? null) !== perfil[c]);
  const esperado: string[] = PERFIL.filter((c) => campos.includes(c)).map((c) => `${c}=${perfil[c]}`);
  const encontrado: string[] = PERFIL.filter((c) => campos.includes(c)).map((c) => `${c}=${u[c] ?? '(vacío)'}`);
  if (u.mail && lower(u.mail) !== lower(upn)) {
    campos.push('mail');
    esperado.push(`mail=${upn}`);
    encontrado.push(`mail=${u.mail}`);
  }
  if (!campos.length) return null;
  return {
    campos: [...campos],
    esperado: esperado.join('; ').slice(0, 1000),
    encontrado: encontrado.join('; ').slice(0, 1000),
  };
}
