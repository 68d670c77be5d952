// The time zone of the Moodle users Lucy creates (MOODLE_TIMEZONE, or the runtime key zonaHoraria).
// Pure: no Moodle, no database.

/** Moodle's "server time zone": what a user gets when core_user_create_users is sent no timezone. */
export const ZONA_DEL_SERVIDOR = '99';

/**
 * PARAM_TIMEZONE as Moodle cleans it (param::clean_param_value_timezone, lib/classes/param.php).
 * A zone it does not match fails core_user_create_users with invalidparameter: every new student would.
 */
const PARAM_TIMEZONE = /^(([+-]?(0?[0-9](\.[5|0])?|1[0-3](\.0)?|1[0-2]\.5))|(99)|[A-Za-z0-9]+(\/?[A-Za-z_-])+)$/;

/** Why the zone cannot be given to new Moodle users, or undefined when it can. */
export function problemaZonaHoraria(zona: string): string | undefined {
  if (zona === ZONA_DEL_SERVIDOR) return undefined;
  try {
    new Intl.DateTimeFormat('en', { timeZone: zona });
  } catch {
    return `${zona} is not an IANA time zone (like America/Argentina/Cordoba) nor 99 (the Moodle server's)`;
  }
  if (!PARAM_TIMEZONE.test(zona))
    return `Moodle refuses the time zone ${zona} (its PARAM_TIMEZONE allows no digits or + in a name): use a place name like America/Argentina/Cordoba`;
  // Moodle looks a zone up by its exact spelling (core_date::normalise_timezone) and silently shows
  // the server's for any other; Intl ignores case, so at least the usual slip is caught here.
  if (zona.split('/').some((parte) => !/^[A-Z]/.test(parte)))
    return `${zona} is not spelt as in the IANA database (each part capitalised: America/Argentina/Cordoba); Moodle would ignore it`;
  return undefined;
}
