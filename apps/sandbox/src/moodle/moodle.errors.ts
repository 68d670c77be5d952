// Moodle's exceptions as the REST server reports them (webservice/rest/locallib.php generate_error):
// HTTP 200, body {"exception": get_class($ex), "errorcode", "message"[, "debuginfo" when debugging()]}.
// The message is the language string for errorcode (lang/en/*.php); moodle_exception's constructor
// (lib/classes/exception/moodle_exception.php) appends " (debuginfo)" when the site runs with
// debugdisplay on and DEBUG_DEVELOPER, and uses "module/errorcode" when no such string exists.
export type DebugLevel = 'none' | 'normal' | 'developer';
export type ExceptionNaming = 'namespaced' | 'legacy';

export interface ErrorRenderOptions {
  debug: DebugLevel;
  naming: ExceptionNaming;
}

/** Classes that moved to core\exception\ (lib/classes/exception/*.php, aliased to the old global names). */
const NAMESPACED = new Set([
  'moodle_exception',
  'invalid_parameter_exception',
  'coding_exception',
  'invalid_response_exception',
  'required_capability_exception',
]);

export class MoodleException extends Error {
  constructor(
    /** The PHP class name without namespace. */
    readonly className: string,
    readonly errorcode: string,
    /** The language string, with {$a} already filled in; null when the string does not exist. */
    readonly langString: string | null,
    readonly module: string,
    readonly debuginfo: string | null = null,
  ) {
    super(langString ?? `${module}/${errorcode}`);
  }

  /** get_exception's message as moodle_exception::__construct builds it for the site's debug level. */
  messageFor(debug: DebugLevel): string {
    const base = this.langString ?? `${this.module}/${this.errorcode}`;
    return this.debuginfo && debug === 'developer' ? `${base} (${this.debuginfo})` : base;
  }

  toJson(opts: ErrorRenderOptions): Record<string, string> {
    const exception =
      opts.naming === 'namespaced' && NAMESPACED.has(this.className)
        ? `core\\exception\\${this.className}`
        : this.className;
    const body: Record<string, string> = { exception, errorcode: this.errorcode, message: this.messageFor(opts.debug) };
    if (opts.debug !== 'none' && this.debuginfo !== null) body.debuginfo = this.debuginfo;
    return body;
  }
}

// lang/en/debug.php: $string['invalidparameter'] = 'Invalid parameter value detected';
export const invalidParameter = (debuginfo: string) =>
  new MoodleException(
    'invalid_parameter_exception',
    'invalidparameter',
    'Invalid parameter value detected',
    'debug',
    debuginfo,
  );

// lang/en/debug.php: $string['codingerror'] = 'Coding error detected, it must be fixed by a programmer: {$a}';
export const codingError = (hint: string, debuginfo: string | null = null) =>
  new MoodleException(
    'coding_exception',
    'codingerror',
    `Coding error detected, it must be fixed by a programmer: ${hint}`,
    'debug',
    debuginfo,
  );

/** moodle_exception($errorcode, $module, '', $a, $debuginfo), with the resolved string (or null if none). */
export const moodleException = (
  errorcode: string,
  module: string,
  langString: string | null,
  debuginfo: string | null = null,
) =>
  new MoodleException(
    'moodle_exception',
    errorcode,
    langString,
    module === '' || module === 'moodle' || module === 'core' ? 'error' : module,
    debuginfo,
  );

// webservice/lib.php: class webservice_access_exception; lang/en/webservice.php 'accessexception' = 'Access control exception'.
export const accessException = (debuginfo: string) =>
  new MoodleException(
    'webservice_access_exception',
    'accessexception',
    'Access control exception',
    'webservice',
    debuginfo,
  );

/** PHP var_export of the query parameters, as dml_missing_record_exception puts it in debuginfo. */
function varExport(params: (string | number)[]): string {
  const rows = params
    .map((p, i) => `  ${i} => ${typeof p === 'number' ? p : `'${p.replace(/'/g, "\\'")}'`},\n`)
    .join('');
  return `array (\n${rows})`;
}

// lib/dml/dml_missing_record_exception (lib/dmllib.php): errorcode 'invalidrecord',
// lang/en/error.php 'invalidrecord' = 'Can\'t find data record in database table {$a}.'
export const missingRecord = (table: string, sql: string, params: (string | number)[]) =>
  new MoodleException(
    'dml_missing_record_exception',
    'invalidrecord',
    `Can't find data record in database table ${table}.`,
    'error',
    `${sql}\n[${varExport(params)}]`,
  );
