// The return email tells a student who comes back that their account is active again: each body shows
// them their {upn}, and no part shows a {password} — a re-enabled or restored account keeps the one it had,
// so this email has none to give (the variable would render empty, or, worse, a template meant for the
// credentials would be used for it). Refused like the credentials email's rules (credenciales.ts): by the
// gateway at save time, and by this service again if one arrives anyway.
import { variablesMostradas } from './credenciales.js';
import type { Fuentes, Parte } from './plantillas.js';

/** Why a template (its sources in handlebars syntax) cannot be the return email, naming the part. */
export function problemaDeRetorno(fuentes: Fuentes): { parte: Parte; problema: string } | undefined {
  for (const parte of ['subject', 'html', 'text'] as const)
    if (variablesMostradas(fuentes[parte]).has('password'))
      return {
        parte,
        problema: 'the return email must not show {password}: the account keeps its own, and this email carries none',
      };
  for (const parte of ['html', 'text'] as const)
    if (!variablesMostradas(fuentes[parte]).has('upn'))
      return { parte, problema: 'the return email must show {upn} in each body: the user the student signs in with' };
  return undefined;
}
