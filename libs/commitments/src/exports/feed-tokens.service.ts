/**
 * Feed tokens: made by their user, shown once, revocable; a feed request resolves one to its user
 * as an actor. A token stops working for good when its user is deactivated, their password
 * changes or their organisation is deactivated (identity's credential generation).
 */
import { randomBytes } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, IsNull } from 'typeorm';
import {
  Actor,
  credentialIsCurrent,
  credentialSupersededAt,
  Role,
  SupervisionScopesService,
  tokenDigest,
} from '@kelisim/identity';
import { ApiError, Clock } from '@kelisim/platform';
import { FeedToken } from './feed-token.entity';

export function feedTokenView(t: FeedToken) {
  return { id: t.id, name: t.name, createdAt: t.createdAt, revokedAt: t.revokedAt, lastUsedAt: t.lastUsedAt };
}

@Injectable()
export class FeedTokensService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly clock: Clock,
  ) {}

  async create(actor: Actor, name: string) {
    const token = `klf_${randomBytes(32).toString('base64url')}`;
    // Read apart from the insert: a generation that moves in between leaves a token that never
    // works (safe), never one that outlives the change.
    const [user]: Array<{ generation: number }> = await this.db.query(
      'SELECT credential_generation AS generation FROM users WHERE id = $1',
      [actor.userId],
    );
    const row = await this.db.getRepository(FeedToken).save(
      this.db.getRepository(FeedToken).create({
        userId: actor.userId,
        name,
        tokenHash: tokenDigest(token),
        createdAt: this.clock.now(),
        revokedAt: null,
        lastUsedAt: null,
        credentialGeneration: user.generation,
      }),
    );
    return { ...feedTokenView(row), token };
  }

  /** The caller's tokens; one that a change of their credentials ended shows that moment as `revokedAt`. */
  async list(actor: Actor) {
    const rows: FeedToken[] = await this.db.query(
      `SELECT f.id, f.name, f.created_at AS "createdAt", f.last_used_at AS "lastUsedAt",
              coalesce(f.revoked_at, ${credentialSupersededAt('f', 'u')}) AS "revokedAt"
         FROM feed_tokens f JOIN users u ON u.id = f.user_id
        WHERE f.user_id = $1
        ORDER BY f.created_at DESC`,
      [actor.userId],
    );
    return { items: rows.map(feedTokenView) };
  }

  async revoke(actor: Actor, id: string): Promise<void> {
    const res = await this.db
      .getRepository(FeedToken)
      .update({ id, userId: actor.userId, revokedAt: IsNull() }, { revokedAt: this.clock.now() });
    if (!res.affected) throw ApiError.notFound('Feed token', id);
  }

  /**
   * The token's user as an actor (with their current roles and scopes); 401 for an unknown or
   * revoked token, and for one issued before its user's credentials last changed.
   */
  async actorOf(token: unknown): Promise<Actor> {
    const refuse = () => new ApiError(401, 'invalid_feed_token', 'The feed token is unknown or was revoked');
    if (typeof token !== 'string' || !/^klf_[A-Za-z0-9_-]{43}$/.test(token)) throw refuse();
    const rows: Array<Actor & { revokedAt: Date | null }> = await this.db.query(
      `SELECT f.id AS "tokenId", f.revoked_at AS "revokedAt", u.id AS "userId", u.organisation_id AS "organisationId",
              u.roles, u.full_name AS "fullName", u.email, u.language
         FROM feed_tokens f JOIN users u ON u.id = f.user_id JOIN organisations o ON o.id = u.organisation_id
        WHERE f.token_hash = $1 AND ${credentialIsCurrent('f', 'u', 'o')}`,
      [tokenDigest(token)],
    );
    const row = rows[0];
    if (!row || row.revokedAt) throw refuse();
    await this.db.query('UPDATE feed_tokens SET last_used_at = $2 WHERE id = $1', [row.tokenId, this.clock.now()]);
    const { revokedAt: _r, ...actor } = row;
    const supervision = await SupervisionScopesService.scopeOf(this.db, actor.userId, actor.roles as Role[]);
    return supervision ? { ...actor, supervision } : actor;
  }
}
