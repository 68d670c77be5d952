// external_value / external_single_structure / external_multiple_structure and the two walkers over
// them, as lib/external/classes/external_api.php has them: validate_parameters() for what a client
// sends (errors are invalid_parameter_exception whose debuginfo is the path "users => ... : ..."),
// clean_returnvalue() for what a function returns (unknown keys dropped, missing optional keys left
// out, values cast to their PARAM type — so PARAM_BOOL goes out as true/false and PARAM_INT as a number).
import { MoodleException, invalidParameter } from './moodle.errors.js';
import { type ParamEnv, type ParamType, validateParam } from './moodle.params.js';
import { type PhpValue, isPhpArray } from './php-query.js';

export type Required = 'required' | 'optional' | 'default';

export interface ValueDesc {
  kind: 'value';
  type: ParamType;
  required: Required;
  default?: unknown;
  allowNull?: boolean;
}
export interface SingleDesc {
  kind: 'single';
  keys: Record<string, Desc>;
  required: Required;
  default?: unknown;
}
export interface MultipleDesc {
  kind: 'multiple';
  content: Desc;
  required: Required;
  default?: unknown;
}
export type Desc = ValueDesc | SingleDesc | MultipleDesc;

export const value = (
  type: ParamType,
  required: Required = 'required',
  dflt?: unknown,
  allowNull = true,
): ValueDesc => ({ kind: 'value', type, required, default: dflt, allowNull });
export const single = (keys: Record<string, Desc>, required: Required = 'required', dflt?: unknown): SingleDesc => ({
  kind: 'single',
  keys,
  required,
  default: dflt,
});
export const multiple = (content: Desc, required: Required = 'required', dflt?: unknown): MultipleDesc => ({
  kind: 'multiple',
  content,
  required,
  default: dflt,
});
/** external_warnings(): the standard list of {item, itemid, warningcode, message}. */
export const warnings = () =>
  multiple(
    single({
      item: value('text', 'optional'),
      itemid: value('int', 'optional'),
      warningcode: value('alphanumext'),
      message: value('raw'),
    }),
    'optional',
  );

export type Validated = string | number | boolean | null | Validated[] | { [k: string]: Validated };

/** print_r($params, true) for the "Only arrays accepted" message. */
const printR = (v: PhpValue): string => (isPhpArray(v) ? 'Array' : v);

export function validateParameters(desc: Desc, params: PhpValue | unknown, env: ParamEnv): Validated {
  if (desc.kind === 'value') {
    if (isPhpArray(params)) throw invalidParameter('Scalar type expected, array or object received.');
    if (params === null || params === undefined) {
      if (desc.allowNull) return null;
      throw invalidParameter(
        `Invalid external api parameter: the value is "", the server was expecting "${desc.type}" type`,
      );
    }
    const raw = typeof params === 'boolean' ? (params ? '1' : '0') : String(params);
    if (desc.type === 'bool' && (raw === '0' || raw === '1')) return raw === '1';
    const debuginfo = `Invalid external api parameter: the value is "${raw}", the server was expecting "${desc.type}" type`;
    return validateParam(raw, desc.type, env, debuginfo) as Validated;
  }
  if (desc.kind === 'single') {
    if (!isPhpArray(params))
      throw invalidParameter(`Only arrays accepted. The bad value is: '${printR(params as PhpValue)}'`);
    const rest = new Map(params);
    const result: Record<string, Validated> = {};
    for (const [key, sub] of Object.entries(desc.keys)) {
      try {
        if (!rest.has(key)) {
          if (sub.required === 'required') throw invalidParameter(`Missing required key in single structure: ${key}`);
          if (sub.required === 'default') result[key] = defaultValue(sub, env, key);
        } else {
          result[key] = validateParameters(sub, rest.get(key), env);
        }
      } catch (e) {
        // Only the key-less "Missing required key" error is raised here unwrapped, as in Moodle.
        if (e instanceof MoodleException && e.errorcode === 'invalidparameter' && rest.has(key)) {
          throw invalidParameter(`${key} => ${e.messageFor(env.debug ?? 'none')}: ${e.debuginfo ?? ''}`);
        }
        throw e;
      }
      rest.delete(key);
    }
    if (rest.size > 0)
      throw invalidParameter(`Unexpected keys (${[...rest.keys()].join(', ')}) detected in parameter array.`);
    return result;
  }
  if (!isPhpArray(params))
    throw invalidParameter(`Only arrays accepted. The bad value is: '${printR(params as PhpValue)}'`);
  return [...params.values()].map((p) => validateParameters(desc.content, p, env));
}

function defaultValue(sub: Desc, env: ParamEnv, key: string): Validated {
  if (sub.kind !== 'value') return (sub.default ?? []) as Validated;
  if (sub.default === null || sub.default === undefined) return null;
  try {
    return validateParameters(sub, String(sub.default), env);
  } catch (e) {
    if (e instanceof MoodleException)
      throw invalidParameter(`${key} => ${e.messageFor(env.debug ?? 'none')}: ${e.debuginfo ?? ''}`);
    throw e;
  }
}

/** clean_returnvalue(): shapes a function's result by its returns description. */
export function cleanReturnValue(desc: Desc, response: unknown): Validated {
  if (desc.kind === 'value') {
    if (response === null || response === undefined) return null;
    switch (desc.type) {
      case 'int':
        return typeof response === 'boolean' ? Number(response) : Math.trunc(Number(response));
      case 'bool':
        return Boolean(response) && response !== '0';
      default:
        return String(response);
    }
  }
  if (desc.kind === 'single') {
    const obj = (response ?? {}) as Record<string, unknown>;
    const out: Record<string, Validated> = {};
    for (const [key, sub] of Object.entries(desc.keys)) {
      if (!(key in obj) || obj[key] === undefined) {
        if (sub.required === 'required')
          throw new MoodleException(
            'invalid_response_exception',
            'invalidresponse',
            'Invalid response value detected',
            'debug',
            `Error in response - Missing following required key in a single structure: ${key}`,
          );
        if (sub.kind === 'value' && sub.required === 'default') out[key] = cleanReturnValue(sub, sub.default);
        continue;
      }
      out[key] = cleanReturnValue(sub, obj[key]);
    }
    return out;
  }
  return ((response ?? []) as unknown[]).map((r) => cleanReturnValue(desc.content, r));
}
