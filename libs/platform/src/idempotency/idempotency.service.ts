import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { Clock } from '../clock/clock';
import { ApiError } from '../http/api-error';
import { IdempotencyKey } from './idempotency-key.entity';

export const IDEMPOTENCY_TTL_MS = 24 * 3600 * 1000;
/** An attempt still in progress after this long is presumed dead (process crashed) and may be taken over. */
export const IDEMPOTENCY_STALE_MS = 5 * 60 * 1000;

export interface IdempotentRequest {
  scope: string;
  key: string;
  method: string;
  path: string;
  requestHash: string;
}

export type IdempotencyClaim = { kind: 'run'; id: string } | { kind: 'replay'; status: number; body: unknown };

/**
 * The records behind `Idempotency-Key`. Each write is its own statement: the claim must be visible to
 * a concurrent duplicate before the handler runs, so it cannot wait for the handler's transaction.
 */
@Injectable()
export class IdempotencyService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly clock: Clock,
  ) {}

  /** Either the right to run the handler (a fresh in-progress row) or the stored answer to replay. */
  async claim(r: IdempotentRequest): Promise<IdempotencyClaim> {
    const now = this.clock.now();
    for (let attempt = 0; attempt < 5; attempt++) {
      // The caller's expired keys go in the same statement (bounded keys without a sweeper, served by
      // the (scope, key) index). An expired row under this very key still blocks this INSERT (both
      // see one snapshot); the loop below finds it gone and claims again.
      const inserted = (await this.dataSource.query(
        `WITH expired AS (DELETE FROM idempotency_keys WHERE scope = $1 AND expires_at <= $6 RETURNING 1)
         INSERT INTO idempotency_keys (scope, key, method, path, request_hash, status, created_at, expires_at)
         VALUES ($1, $2, $3, $4, $5, 'in_progress', $6, $7)
         ON CONFLICT (scope, key) DO NOTHING RETURNING id`,
        [r.scope, r.key, r.method, r.path, r.requestHash, now, new Date(now.getTime() + IDEMPOTENCY_TTL_MS)],
      )) as Array<{ id: string }>;
      if (inserted.length) return { kind: 'run', id: inserted[0].id };

      const existing = await this.dataSource
        .getRepository(IdempotencyKey)
        .findOne({ where: { scope: r.scope, key: r.key } });
      if (!existing) continue; // released (5xx) or expired between the two statements: try to claim again
      if (existing.expiresAt.getTime() <= now.getTime()) {
        await this.dataSource.query(`DELETE FROM idempotency_keys WHERE id = $1 AND expires_at <= $2`, [
          existing.id,
          now,
        ]);
        continue;
      }
      if (existing.method !== r.method || existing.path !== r.path || existing.requestHash !== r.requestHash) {
        throw ApiError.unprocessable(
          'idempotency_key_reused',
          'This Idempotency-Key was already used with a different request; use a new key for a new request',
          [{ field: 'Idempotency-Key', message: 'was used for a different request' }],
          { header: 'Idempotency-Key', originalMethod: existing.method, originalPath: existing.path },
        );
      }
      if (existing.status === 'completed')
        return { kind: 'replay', status: existing.responseStatus ?? 200, body: existing.responseBody };
      if (now.getTime() - existing.createdAt.getTime() >= IDEMPOTENCY_STALE_MS) {
        // Taking over is deleting the dead attempt's row; the insert above then decides among racers.
        await this.dataSource.query(`DELETE FROM idempotency_keys WHERE id = $1 AND status = 'in_progress'`, [
          existing.id,
        ]);
        continue;
      }
      break;
    }
    throw ApiError.conflict(
      'idempotency_in_progress',
      'A request with this Idempotency-Key is still being processed; retry later',
      {
        header: 'Idempotency-Key',
      },
    );
  }

  /** Stores the answer; a no-op when the attempt was taken over meanwhile. */
  async complete(id: string, status: number, body: unknown): Promise<void> {
    const json = body === undefined || body === null ? null : JSON.stringify(withoutSecrets(body));
    await this.dataSource.query(
      `UPDATE idempotency_keys SET status = 'completed', response_status = $2, response_body = $3::jsonb WHERE id = $1 AND status = 'in_progress'`,
      [id, status, json],
    );
  }

  /** Forgets an attempt that failed on the server's side, so that a retry may run the handler. */
  async release(id: string): Promise<void> {
    await this.dataSource.query(`DELETE FROM idempotency_keys WHERE id = $1 AND status = 'in_progress'`, [id]);
  }
}

const SECRET_FIELDS = new Set(['secret', 'token', 'password', 'temporaryPassword', 'csrfToken']);

/**
 * The last line of defence behind @AnswerCarriesSecret: should a route that answers with a secret
 * ever lack the decorator, the stored copy (and so the replay) holds null in its place, never the secret.
 */
export function withoutSecrets(value: unknown, depth = 0): unknown {
  if (value === null || typeof value !== 'object' || depth > 16) return value;
  if (Array.isArray(value)) return value.map((v) => withoutSecrets(v, depth + 1));
  if (value instanceof Date) return value;
  return Object.fromEntries(
    Object.entries(value).map(([k, v]) => [
      k,
      SECRET_FIELDS.has(k) && typeof v === 'string' ? null : withoutSecrets(v, depth + 1),
    ]),
  );
}
