import { Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { ApiError, Clock, Environment, preparedQuery } from '@kelisim/platform';
import { Actor } from '../access/actor';
import { User } from '../users/user.entity';
import { AuthToken } from './auth-token.entity';
import { credentialIsCurrent } from './credential-generation';
import { LoginThrottling } from './login-throttling';
import { dummyPasswordHash, newToken, tokenDigest, verifyPassword } from './secrets';

export interface IssuedToken {
  id: string;
  token: string;
  expiresAt: Date | null;
}

/** Logins and bearer tokens. Owns auth_tokens and users.last_login_at. */
@Injectable()
export class AuthService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly clock: Clock,
    private readonly config: ConfigService<Environment, true>,
    private readonly throttling: LoginThrottling,
  ) {}

  /**
   * One answer for every failure — unknown e-mail, wrong password, deactivated user or
   * organisation — and the same work (a password hash is verified even for an unknown e-mail), so
   * a login tells nothing about which accounts exist. Failures are limited per e-mail and per
   * client address (LoginThrottling), successes not at all.
   */
  async login(email: string, password: string, address?: string): Promise<{ token: IssuedToken; user: User }> {
    const normalised = email.trim().toLowerCase();
    const attempt = await this.throttling.attempt(normalised, address);
    let row: User | null;
    let ok: boolean;
    try {
      row = await this.db
        .getRepository(User)
        .createQueryBuilder('u')
        .addSelect(['u.passwordHash'])
        .innerJoin('u.organisation', 'o')
        .addSelect(['o.active'])
        .where('u.email = :email', { email: normalised })
        .getOne();
      ok = await verifyPassword(row?.passwordHash ?? (await dummyPasswordHash()), password);
    } catch (e) {
      // Not a failed guess: nothing is counted.
      await attempt.release();
      throw e;
    }
    if (!row || !ok || !row.active || row.organisation?.active === false) {
      await attempt.failed();
      throw ApiError.unauthorized('Wrong e-mail or password', 'invalid_credentials');
    }
    await attempt.release();
    await this.db.getRepository(User).update({ id: row.id }, { lastLoginAt: this.clock.now() });
    const token = await this.issueSession(row.id);
    const { passwordHash: _p, organisation: _o, ...user } = row;
    return { token, user: user as User };
  }

  /** A new session token (SESSION_TTL_HOURS): at login, and after the user changed their password. */
  issueSession(userId: string): Promise<IssuedToken> {
    const ttlHours = this.config.get('SESSION_TTL_HOURS', { infer: true });
    return this.issue(userId, 'session', null, new Date(this.clock.now().getTime() + ttlHours * 3600_000));
  }

  /**
   * Whether `password` is the user's, counted as a login attempt of theirs (LoginThrottling): a
   * stolen session cannot guess the current password faster than the sign-in page can.
   */
  async checkPassword(userId: string, password: string, address?: string): Promise<boolean> {
    const row = await this.db
      .getRepository(User)
      .createQueryBuilder('u')
      .addSelect(['u.passwordHash'])
      .where('u.id = :id', { id: userId })
      .getOne();
    if (!row) return false;
    const attempt = await this.throttling.attempt(row.email, address);
    let ok: boolean;
    try {
      ok = await verifyPassword(row.passwordHash, password);
    } catch (e) {
      await attempt.release();
      throw e;
    }
    if (ok) await attempt.release();
    else await attempt.failed();
    return ok;
  }

  async issue(
    userId: string,
    kind: 'session' | 'personal',
    name: string | null,
    expiresAt: Date | null,
  ): Promise<IssuedToken> {
    const token = newToken(kind);
    // Read apart from the insert: a generation that moves in between leaves a token that never
    // works (safe), never one that outlives the change.
    const [user]: Array<{ generation: number }> = await this.db.query(
      'SELECT credential_generation AS generation FROM users WHERE id = $1',
      [userId],
    );
    const saved = await this.db.getRepository(AuthToken).save({
      userId,
      kind,
      name,
      tokenHash: tokenDigest(token),
      prefix: token.slice(0, 12),
      expiresAt,
      credentialGeneration: user.generation,
    });
    return { id: saved.id, token, expiresAt };
  }

  /**
   * Resolves a bearer token to its actor, or null, in one statement: the token, its user and
   * organisation, a supervisor's scopes, and the last-used time (moved at most once a minute, by a
   * data-modifying CTE that writes nothing when it is recent).
   */
  async authenticate(token: string): Promise<Actor | null> {
    if (token.length > 200) return null;
    const now = this.clock.now();
    const rows = await preparedQuery<Omit<Actor, 'supervision'> & { supervision: Actor['supervision'] | null }>(
      this.db,
      `WITH t AS (
         SELECT t.id AS "tokenId", u.id AS "userId", u.organisation_id AS "organisationId", u.roles,
                u.full_name AS "fullName", u.email, u.language, u.must_change_password AS "mustChangePassword",
                t.last_used_at
           FROM auth_tokens t JOIN users u ON u.id = t.user_id JOIN organisations o ON o.id = u.organisation_id
          WHERE t.token_hash = $1 AND t.revoked_at IS NULL AND ${credentialIsCurrent('t', 'u', 'o')}
            AND (t.expires_at IS NULL OR t.expires_at > $2)),
       touched AS (
         UPDATE auth_tokens a SET last_used_at = $2 FROM t
          WHERE a.id = t."tokenId" AND (t.last_used_at IS NULL OR t.last_used_at < $2::timestamptz - interval '60 seconds')
          RETURNING 1)
       SELECT t."tokenId", t."userId", t."organisationId", t.roles, t."fullName", t.email, t.language,
              t."mustChangePassword",
              (SELECT jsonb_build_object(
                        'global', bool_or(s.kind = 'global'),
                        'organisationIds', coalesce(jsonb_agg(s.organisation_id) FILTER (WHERE s.organisation_id IS NOT NULL), '[]'),
                        'memorandumIds', coalesce(jsonb_agg(s.memorandum_id) FILTER (WHERE s.memorandum_id IS NOT NULL), '[]'))
                 FROM supervision_scopes s
                WHERE s.supervisor_user_id = t."userId" AND 'supervisor' = ANY (t.roles)
               HAVING count(*) > 0) AS supervision
         FROM t`,
      [tokenDigest(token), now.toISOString()],
    );
    const row = rows[0];
    if (!row) return null;
    const { supervision, ...actor } = row;
    return supervision ? { ...actor, supervision } : actor;
  }

  listPersonal(userId: string): Promise<AuthToken[]> {
    return this.db.getRepository(AuthToken).find({ where: { userId, kind: 'personal' }, order: { createdAt: 'DESC' } });
  }

  async revoke(userId: string, tokenId: string): Promise<void> {
    const result = await this.db.query(
      `UPDATE auth_tokens SET revoked_at = $3 WHERE id = $1 AND user_id = $2 AND revoked_at IS NULL`,
      [tokenId, userId, this.clock.now().toISOString()],
    );
    if (!result[1]) throw ApiError.notFound('Token', tokenId);
  }

  /** Every live token of an organisation's users: deactivating it must not leave them to come back on reactivation. */
  async revokeOrganisation(organisationId: string): Promise<void> {
    await this.db.query(
      `UPDATE auth_tokens SET revoked_at = $2
        WHERE revoked_at IS NULL AND user_id IN (SELECT id FROM users WHERE organisation_id = $1)`,
      [organisationId, this.clock.now().toISOString()],
    );
  }

  async revokeAll(userId: string): Promise<void> {
    await this.db.query(`UPDATE auth_tokens SET revoked_at = $2 WHERE user_id = $1 AND revoked_at IS NULL`, [
      userId,
      this.clock.now().toISOString(),
    ]);
  }
}
