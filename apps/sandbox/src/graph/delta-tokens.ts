// users/delta state tokens. Graph's are opaque and carry the round's query options ("The state tokens
// also encode and include other query parameters (such as $select) specified in the initial delta query
// request", learn.microsoft.com/graph/delta-query-overview, "State tokens"), so these do too: base64url
// JSON the client never reads. A $deltatoken says where the last round ended; a $skiptoken says where a
// round in progress stands.
import { GraphError } from './errors.js';

/** What a round tracks: its $select (undefined: Graph's default projection, every property tracked) and $filter ids. */
export interface DeltaQuery {
  select?: string[];
  ids?: string[];
}

export interface DeltaTokenState extends DeltaQuery {
  /** Journal generation (a reset tenant does not know older links). */
  gen: number;
  /** When the link was issued (ms): its seven days run from here. */
  issuedAt: number;
  /** Journal position the last round covered. */
  seq: number;
}

export interface SkipTokenState extends DeltaQuery {
  gen: number;
  /** When the round began (ms). */
  issuedAt: number;
  /** null: the first round (every user that exists); else the position the previous round ended at. */
  from: number | null;
  /** Journal position at the round's start: its deltaLink starts the next round from here. */
  to: number;
  /** Last item handed out: a user id in the first round, a journal position afterwards. */
  cursor: string | number | null;
}

const encode = (kind: 'd' | 's', state: object) =>
  Buffer.from(JSON.stringify({ k: kind, ...state })).toString('base64url');

function decode(kind: 'd' | 's', raw: string): Record<string, unknown> {
  try {
    const v = JSON.parse(Buffer.from(raw, 'base64url').toString('utf8'));
    if (v && typeof v === 'object' && v.k === kind && Number.isInteger(v.gen) && Number.isFinite(v.issuedAt)) return v;
  } catch {
    /* fall through */
  }
  throw malformed(kind);
}

export const encodeDeltaToken = (s: DeltaTokenState) => encode('d', s);
export const encodeSkipToken = (s: SkipTokenState) => encode('s', s);

export function decodeDeltaToken(raw: string): DeltaTokenState {
  const v = decode('d', raw);
  if (!Number.isInteger(v.seq)) throw malformed('d');
  return v as unknown as DeltaTokenState;
}

export function decodeSkipToken(raw: string): SkipTokenState {
  const v = decode('s', raw);
  if (!Number.isInteger(v.to) || !(v.from === null || Number.isInteger(v.from))) throw malformed('s');
  return v as unknown as SkipTokenState;
}

// Not confirmed against the live service (no capture of a garbled token found): a 400 in the shape the
// stand-in uses for a bad $skiptoken on /users.
const malformed = (kind: 'd' | 's') =>
  new GraphError(400, 'Request_BadRequest', `Invalid or expired ${kind === 'd' ? 'delta' : 'skip'} token.`);
