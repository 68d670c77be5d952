// The student's userPrincipalName, from a configurable pattern. The DNI is what makes it unique and
// stable: the same student always maps to the same UPN, which is how an account is found before one is
// created (idempotency by key), so every pattern must contain {dni}.
import type { AlumnoDatos } from '@lucy/contracts';

const TOKENS = ['dni', 'domain', 'nombre', 'apellido', 'inicial'] as const;
type Token = (typeof TOKENS)[number];

// Entra's alias rules: A-Z a-z 0-9 ' . - _ ! # ^ ~, no leading, trailing or double dot, at most 64.
const ALIAS = /^[A-Za-z0-9'._\-!#^~]{1,64}$/;

const DOMINIO = /^([a-z0-9-]+\.)+[a-z0-9-]{2,}$/i;

/** Why a domain name cannot be a UPN's domain, or undefined when it can (whether the tenant verified it, only Graph knows). */
export const validarDominio = (dominio: string): string | undefined =>
  DOMINIO.test(dominio) ? undefined : 'must be a domain name';

/** A student whose names add nothing odd: what a pattern gives for them shows what its literal parts are worth. */
const MUESTRA = { dni: '12345678', nombre: 'Ana', apellido: 'Paz' };

/** A name as an alias part: lower case, no accents, letters and digits only ("Núñez Paz" → "nunezpaz"). */
export function normalizarNombre(nombre: string): string {
  return nombre
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[^a-z0-9]/g, '');
}

/** Why a pattern cannot be used, or undefined when it can. */
export function validarPatronUpn(pattern: string): string | undefined {
  const used = [...pattern.matchAll(/\{([^}]*)\}/g)].map((m) => m[1]);
  const unknown = used.filter((t) => !TOKENS.includes(t as Token));
  if (unknown.length) return `unknown placeholder {${unknown[0]}} (use ${TOKENS.map((t) => `{${t}}`).join(', ')})`;
  if (!used.includes('dni')) return 'must contain {dni}, which keeps every student’s UPN unique';
  const at = pattern.lastIndexOf('@');
  if (at <= 0 || pattern.indexOf('@') !== at) return 'must be alias@domain with exactly one @';
  if (pattern.slice(0, at).includes('{domain}')) return '{domain} belongs after the @';
  // Its fixed text must already make a valid UPN (say no space, no double dot), or every student fails.
  const muestra = pattern.replace(/\{([a-z]+)\}/g, (_, t: Token) =>
    t === 'domain' ? 'example.edu' : t === 'inicial' ? 'a' : MUESTRA[t],
  );
  if (problemaDeAlias(aliasDe(muestra)))
    return `gives an invalid alias ("${aliasDe(muestra)}" for DNI ${MUESTRA.dni}): use A-Z a-z 0-9 ' . - _ ! # ^ ~, no dot at the ends or twice in a row`;
  if (validarDominio(muestra.slice(muestra.lastIndexOf('@') + 1)))
    return 'the part after the @ must be a domain name or {domain}';
  return undefined;
}

const problemaDeAlias = (alias: string): boolean =>
  !ALIAS.test(alias) || alias.startsWith('.') || alias.endsWith('.') || alias.includes('..');

/** The UPN of a student: the pattern's placeholders replaced, lower case. Throws if the result is not a valid UPN. */
export function upnDesde(
  pattern: string,
  alumno: Pick<AlumnoDatos, 'dni' | 'nombre' | 'apellido'>,
  domain: string,
): string {
  const values: Record<Token, string> = {
    dni: alumno.dni,
    domain: domain.toLowerCase(),
    nombre: normalizarNombre(alumno.nombre),
    apellido: normalizarNombre(alumno.apellido),
    inicial: normalizarNombre(alumno.nombre).slice(0, 1),
  };
  const upn = pattern.replace(/\{([a-z]+)\}/g, (_, t: Token) => values[t]).toLowerCase();
  const alias = aliasDe(upn);
  if (problemaDeAlias(alias)) throw new Error(`the UPN pattern gives an invalid alias "${alias}"`);
  return upn;
}

/** The alias (part before the @), which Graph also wants as mailNickname. */
export const aliasDe = (upn: string): string => upn.slice(0, upn.lastIndexOf('@'));

/**
 * The UPN the pattern gives the student now, when their account has another one: an operator decides
 * whether to rename (Lucy never does, since the UPN is how the student signs in). Null when it is the
 * same, or when the pattern gives no valid UPN for the student's new data (nothing to suggest).
 */
export function upnSugerido(
  upnActual: string,
  pattern: string,
  alumno: Pick<AlumnoDatos, 'dni' | 'nombre' | 'apellido'>,
  domain: string,
): string | null {
  let upn: string;
  try {
    upn = upnDesde(pattern, alumno, domain);
  } catch {
    return null;
  }
  return upn === upnActual.toLowerCase() ? null : upn;
}
