// clean_param() and validate_param() for the PARAM_* types the stand-in's functions use
// (lib/moodlelib.php; since 4.4 the cleaning lives in lib/classes/param.php). validate_param throws
// invalid_parameter_exception when the cleaned value differs from what was sent, so a client that
// sends "Juan" as a PARAM_USERNAME gets an error rather than a silently lower-cased username.
import { type DebugLevel, invalidParameter } from './moodle.errors.js';
import { fixUtf8, phpStripTags } from './php-strip-tags.js';

export type ParamType =
  | 'int'
  | 'raw'
  | 'raw_trimmed'
  | 'alpha'
  | 'alphanumext'
  | 'safedir'
  | 'plugin'
  | 'username'
  | 'notags'
  | 'text'
  | 'email'
  | 'bool'
  | 'auth'
  | 'lang'
  | 'theme'
  | 'timezone'
  | 'url'
  | 'sequence';

export interface ParamEnv {
  /** Installed auth plugins (PARAM_AUTH cleans anything else to ''). */
  auths: readonly string[];
  /** Installed language packs (PARAM_LANG cleans anything else to ''). */
  langs: readonly string[];
  themes: readonly string[];
  /** The site's debug level: in developer mode nested error paths carry each message's " (debuginfo)". */
  debug?: DebugLevel;
}

/** PHP (int) cast of a string: leading whitespace, optional sign, digits; anything else stops it. */
export function phpInt(v: string): number {
  const m = /^[ \t\n\r\v\f]*([+-]?\d+)/.exec(v);
  return m ? Number(m[1]) : 0;
}

export function cleanParam(value: string, type: ParamType, env: ParamEnv): string | number | boolean {
  switch (type) {
    case 'int':
      return phpInt(value);
    case 'raw':
      return value;
    case 'raw_trimmed':
      return value.trim();
    case 'alpha':
      return value.replace(/[^a-zA-Z]/g, '');
    case 'alphanumext':
    case 'safedir':
      return value.replace(/[^a-zA-Z0-9_-]/g, '');
    case 'plugin': {
      const v = value.replace(/[^a-z0-9_]/g, '');
      return /^[a-z][a-z0-9_]*$/.test(v) && !v.includes('__') && !v.endsWith('_') ? v : '';
    }
    case 'sequence':
      return value.replace(/[^0-9,]/g, '');
    case 'username':
      // PARAM_USERNAME without $CFG->extendedusernamechars: trim, lower-case, keep [-.@_a-z0-9].
      return value
        .trim()
        .toLowerCase()
        .replace(/ /g, '')
        .replace(/[^-.@_a-z0-9]/g, '');
    case 'notags':
      // PARAM_NOTAGS: fix_utf8, then PHP's strip_tags. It cleans; a web service's validate_param below
      // then refuses a value it cleaned into something else (a name holding "<script>": invalidparameter).
      return phpStripTags(fixUtf8(value));
    case 'text':
      // PARAM_TEXT also keeps <lang>/<span lang> multilang blocks; the stand-in's PARAM_TEXT fields hold none.
      return phpStripTags(fixUtf8(value));
    case 'email':
      return isValidEmail(value) ? value : '';
    case 'bool': {
      const v = value.trim().toLowerCase();
      if (['on', 'yes', 'true'].includes(v)) return 1;
      if (['off', 'no', 'false'].includes(v)) return 0;
      return v === '' || v === '0' ? 0 : 1;
    }
    case 'auth': {
      const p = cleanParam(value, 'plugin', env) as string;
      return p && env.auths.includes(p) ? p : '';
    }
    case 'lang':
      return env.langs.includes(value.replace(/[^a-z0-9_-]/gi, '')) ? value : '';
    case 'theme': {
      const p = cleanParam(value, 'plugin', env) as string;
      return p && env.themes.includes(p) ? p : '';
    }
    case 'timezone':
      // param::clean_param_value_timezone (lib/classes/param.php), its pattern as is: offsets -13..13 in
      // halves up to 12.5 (the class [5|0] admits '|' too), 99, or an alphanumeric run followed by
      // letters, _ and - with single slashes — so Etc/GMT+3 is refused; PCRE's $ also passes a final \n.
      return /^(([+-]?(0?[0-9](\.[5|0])?|1[0-3](\.0)?|1[0-2]\.5))|(99)|[A-Za-z0-9]+(\/?[A-Za-z_-])+)\n?$/.test(value)
        ? value
        : '';
    case 'url':
      return /^(https?:\/\/[^\s]+|\/[^\s]*|)$/.test(value) ? value : '';
  }
}

/** validate_email(): PHPMailer's validateAddress (PHP's FILTER_VALIDATE_EMAIL) and no '<' or '>'. */
export function isValidEmail(v: string): boolean {
  if (!v || /[<>]/.test(v)) return false;
  return (
    /^(?!\.)[A-Za-z0-9!#$%&'*+/=?^_`{|}~.-]+(?<!\.)@(?=.{1,253}$)[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)+$/.test(
      v,
    ) && !v.includes('..')
  );
}

/**
 * validate_param($param, $type, $allownull, $debuginfo): the cleaned value must equal the value sent
 * (compared as strings), else invalid_parameter_exception with the given debuginfo. PARAM_BOOL is
 * special-cased by the caller (external_api::validate_parameters accepts 0/1/'0'/'1' only... then falls
 * through to this check).
 */
export function validateParam(
  value: string,
  type: ParamType,
  env: ParamEnv,
  debuginfo: string,
): string | number | boolean {
  const cleaned = cleanParam(value, type, env);
  if (String(value) !== String(cleaned)) throw invalidParameter(debuginfo);
  if (type === 'int') return cleaned as number;
  if (type === 'bool') return Boolean(cleaned);
  return cleaned;
}
