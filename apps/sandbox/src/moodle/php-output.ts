// How PHP prints what Moodle's REST server sends. json_encode() without flags escapes '/' as '\/'
// and every non-ASCII character as \uXXXX ("Pérez" → "P\u00e9rez"); clients that parse JSON see the
// same values, clients that compare bytes do not. The XML form is webservice_rest_server::xmlize_result().
import type { Desc, Validated } from './moodle.description.js';

export function phpJsonEncode(v: unknown): string {
  return JSON.stringify(v)
    .replace(/\//g, '\\/')
    .replace(/[\u007f-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** htmlspecialchars($s, ENT_COMPAT, 'UTF-8'): & < > and double quotes. */
const h = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

export function xmlizeResult(v: Validated, desc: Desc | null): string {
  if (desc === null) return '';
  if (desc.kind === 'value') {
    if (v === null || v === undefined) return '<VALUE null="null"/>\n';
    return `<VALUE>${h(String(typeof v === 'boolean' ? Number(v) : v))}</VALUE>\n`;
  }
  if (desc.kind === 'multiple') {
    return `<MULTIPLE>\n${((v as Validated[]) ?? []).map((x) => xmlizeResult(x, desc.content)).join('')}</MULTIPLE>\n`;
  }
  const obj = (v ?? {}) as Record<string, Validated>;
  const keys = Object.entries(desc.keys)
    .filter(([k]) => k in obj)
    .map(([k, sub]) => `<KEY name="${k}">${xmlizeResult(obj[k]!, sub)}</KEY>\n`)
    .join('');
  return `<SINGLE>\n${keys}</SINGLE>\n`;
}

export function xmlResponse(v: Validated, desc: Desc | null): string {
  return `<?xml version="1.0" encoding="UTF-8" ?>\n<RESPONSE>\n${xmlizeResult(v, desc)}</RESPONSE>\n`;
}

export function xmlError(body: Record<string, string>): string {
  let x = `<?xml version="1.0" encoding="UTF-8" ?>\n<EXCEPTION class="${body.exception}">\n`;
  x += `<ERRORCODE>${h(body.errorcode ?? '')}</ERRORCODE>\n<MESSAGE>${h(body.message ?? '')}</MESSAGE>\n`;
  if (body.debuginfo !== undefined) x += `<DEBUGINFO>${h(body.debuginfo)}</DEBUGINFO>\n`;
  return `${x}</EXCEPTION>\n`;
}
