import { Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';

import { AllConfig } from '../config/config.type';
import { RedisConnection } from '../redis/redis.module';

/** The claims a revocation is decided on: the token's id and its sign-in session. */
export interface RevocableClaims {
  jti?: string | null;
  sid?: string | null;
}

/**
 * Tokens refused before their expiry: a single token by `jti`, or every token of an ended sign-in
 * session by `sid` (logout, logout-all, DELETE /auth/sessions/:id). In Redis when configured, so an
 * end on one instance is refused by all; in memory for the single-instance mode. Each entry lives
 * only as long as a token it covers could still be valid: a session's tokens are all issued before
 * it ended, so none outlives the end by more than the token lifetime. The sessions table stays the
 * record of what ended; these keys make the check on every request and socket write one Redis
 * round trip instead of a database query.
 */
@Injectable()
export class TokenRevocations {
  private readonly local = new Map<string, number>();
  private readonly tokenTtlMs: number;

  constructor(
    private readonly redis: RedisConnection,
    config: ConfigService<AllConfig, true>,
  ) {
    this.tokenTtlMs = config.get('auth.jwtTtlSeconds', { infer: true }) * 1000;
  }

  async revoke(tokenId: string, expiresAtMs: number): Promise<void> {
    await this.mark(this.key('revoked', tokenId), expiresAtMs);
  }

  /**
   * Every token of the session is refused from now on. Kept a minute longer than a token lives, for
   * a refresh that raced the end and signed a token just after it.
   */
  async endSession(sessionId: string): Promise<void> {
    await this.mark(this.key('ended-session', sessionId), Date.now() + this.tokenTtlMs + 60_000);
  }

  /**
   * Whether a token with these claims was revoked, by itself or with its session. The one check
   * for every path that accepts a token (HTTP guard, handshake, `auth:refresh`, re-checks on writes).
   * Fails closed: if Redis cannot answer, the caller gets the error rather than a pass.
   */
  async isRevoked(claims: RevocableClaims): Promise<boolean> {
    const keys = [
      ...(claims.jti ? [this.key('revoked', claims.jti)] : []),
      ...(claims.sid ? [this.key('ended-session', claims.sid)] : []),
    ];
    if (keys.length === 0) return false;
    const client = this.redis.client;
    if (client) {
      // One EXISTS per key rather than one for all: under Redis Cluster the keys live in different slots.
      const found = await Promise.all(keys.map((key) => client.exists(key)));
      return found.some((count) => count === 1);
    }
    const now = Date.now();
    return keys.some((key) => (this.local.get(key) ?? 0) > now);
  }

  private key(kind: 'revoked' | 'ended-session', id: string): string {
    return this.redis.client ? this.redis.key(kind, id) : `${kind}:${id}`;
  }

  private async mark(key: string, untilMs: number): Promise<void> {
    const ttlMs = Math.max(1, untilMs - Date.now());
    if (this.redis.client) {
      await this.redis.client.set(key, '1', 'PX', ttlMs);
      return;
    }
    this.pruneLocal();
    this.local.set(key, untilMs);
  }

  private pruneLocal(): void {
    const now = Date.now();
    for (const [key, until] of this.local) if (until <= now) this.local.delete(key);
  }
}
