// The keys, in PostgreSQL (`idempotency_key`, one row per token and key). Every statement is its own
// short transaction: the claim is one INSERT ... ON CONFLICT, so of two requests racing with a key exactly
// one inserts (or takes over) the row, and no lock is held while the request runs.
import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { InjectConfig, type BaseConfig } from '@lucy/platform';
import type { SealedSecret } from '@lucy/contracts';
import { prepared } from '../persistence/prepared.js';

export interface StoredAnswer {
  status: number;
  headers: Record<string, string>;
  body: SealedSecret | null;
}

export type Claim =
  | { kind: 'claimed'; claimId: string }
  | { kind: 'other-request' }
  | { kind: 'in-progress' }
  | { kind: 'done'; claimId: string; answer: StoredAnswer };

interface Settings {
  ttlMs: number;
  leaseMs: number;
}

@Injectable()
export class IdempotencyStore {
  private readonly t: string;
  private readonly settings: Settings;

  constructor(
    @InjectConfig()
    config: BaseConfig & { DB_SCHEMA: string; IDEMPOTENCY_TTL_MS: number; IDEMPOTENCY_LEASE_MS: number },
    private readonly db: DataSource,
  ) {
    this.t = `"${config.DB_SCHEMA}".idempotency_key`;
    this.settings = { ttlMs: config.IDEMPOTENCY_TTL_MS, leaseMs: config.IDEMPOTENCY_LEASE_MS };
  }

  get leaseMs(): number {
    return this.settings.leaseMs;
  }

  /**
   * Claims `key` for this request, or says why not. The row is taken over when it has expired, or when
   * it is a claim for the same request whose lease ran out (its replica died before answering).
   */
  async claim(tokenId: string, key: string, fingerprint: string, method: string, path: string): Promise<Claim> {
    const seen = await this.existing(tokenId, key, fingerprint);
    if (seen) return seen;
    // A row seen by the INSERT may be gone before the SELECT (released after a 5xx, purged): look again.
    for (let attempt = 0; attempt < 3; attempt++) {
      const claimId = randomUUID();
      const taken = await this.db.query(
        `INSERT INTO ${this.t} AS k (token_id, key, fingerprint, method, path, claim_id, claimed_at, expires_at)
         VALUES ($1, $2, $3, $4, $5, $6, now(), now() + $7 * interval '1 millisecond')
         ON CONFLICT (token_id, key) DO UPDATE
            SET fingerprint = excluded.fingerprint, method = excluded.method, path = excluded.path, claim_id = excluded.claim_id,
                claimed_at = now(), expires_at = excluded.expires_at, created_at = now(),
                completed_at = NULL, status = NULL, headers = NULL, body = NULL
          WHERE k.expires_at <= now()
             OR (k.completed_at IS NULL AND k.fingerprint = excluded.fingerprint AND k.claimed_at < now() - $8 * interval '1 millisecond')
         RETURNING claim_id`,
        [tokenId, key, fingerprint, method, path, claimId, this.settings.ttlMs, this.settings.leaseMs],
      );
      if (taken.length) return { kind: 'claimed', claimId };
      const [row] = await this.db.query(
        `SELECT fingerprint, claim_id, completed_at, status, headers, body FROM ${this.t} WHERE token_id = $1 AND key = $2`,
        [tokenId, key],
      );
      if (!row) continue;
      return claimOf(row, fingerprint);
    }
    return { kind: 'in-progress' };
  }

  /**
   * What a key already in force says, in one read by the primary key: a retry of a request that ran or
   * runs is answered without the INSERT, whose ON CONFLICT locks the row even when it takes nothing, so a
   * client's retries queued behind one another. Undefined when the claim's INSERT decides: no row, an
   * expired one, or the same request's claim whose lease ran out (the conditions the INSERT takes a row on).
   */
  private async existing(tokenId: string, key: string, fingerprint: string): Promise<Claim | undefined> {
    const [row] = await prepared(
      this.db,
      'gateway-idempotency-existing',
      `SELECT fingerprint, claim_id, completed_at, status, headers, body FROM ${this.t}
        WHERE token_id = $1 AND key = $2 AND expires_at > now()
          AND NOT (completed_at IS NULL AND fingerprint = $3 AND claimed_at < now() - $4 * interval '1 millisecond')`,
      [tokenId, key, fingerprint, this.settings.leaseMs],
    );
    return row ? claimOf(row, fingerprint) : undefined;
  }

  /** Keeps a claim alive while its request runs. */
  async renew(tokenId: string, key: string, claimId: string): Promise<void> {
    await this.db.query(
      `UPDATE ${this.t} SET claimed_at = now() WHERE token_id = $1 AND key = $2 AND claim_id = $3 AND completed_at IS NULL`,
      [tokenId, key, claimId],
    );
  }

  /** Stores the first answer, to be replayed until the key expires. */
  async complete(tokenId: string, key: string, claimId: string, answer: StoredAnswer): Promise<void> {
    await this.db.query(
      `UPDATE ${this.t} SET completed_at = now(), status = $4, headers = $5, body = $6 WHERE token_id = $1 AND key = $2 AND claim_id = $3`,
      [
        tokenId,
        key,
        claimId,
        answer.status,
        JSON.stringify(answer.headers),
        answer.body === null ? null : JSON.stringify(answer.body),
      ],
    );
  }

  /** Forgets the claim: the next request with the key runs (after a 5xx, or an answer it cannot replay). */
  async release(tokenId: string, key: string, claimId: string): Promise<void> {
    await this.db.query(`DELETE FROM ${this.t} WHERE token_id = $1 AND key = $2 AND claim_id = $3`, [
      tokenId,
      key,
      claimId,
    ]);
  }

  /** Deletes expired keys (not a claim still being renewed); returns how many. */
  async purge(): Promise<number> {
    const [, n]: [unknown, number] = await this.db.query(
      `DELETE FROM ${this.t} WHERE expires_at < now() AND (completed_at IS NOT NULL OR claimed_at < now() - $1 * interval '1 millisecond')`,
      [this.settings.leaseMs],
    );
    return n;
  }
}

/** A key's row as the answer to a claim that did not take it. */
function claimOf(row: Record<string, any>, fingerprint: string): Claim {
  if (row.fingerprint !== fingerprint) return { kind: 'other-request' };
  if (!row.completed_at) return { kind: 'in-progress' };
  return {
    kind: 'done',
    claimId: row.claim_id,
    answer: { status: row.status, headers: row.headers ?? {}, body: row.body },
  };
}
