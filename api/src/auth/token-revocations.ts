import { Injectable } from '@nestjs/common';

import { RedisConnection } from '../redis/redis.module';

/**
 * Tokens revoked before their expiry (logout), by `jti`. In Redis when configured, so a logout on
 * one instance is refused by all; each entry lives only until the token would have expired anyway.
 * In memory for the single-instance mode.
 */
@Injectable()
export class TokenRevocations {
  private readonly local = new Map<string, number>();

  constructor(private readonly redis: RedisConnection) {}

  async revoke(tokenId: string, expiresAtMs: number): Promise<void> {
    const ttlMs = Math.max(1, expiresAtMs - Date.now());
    if (this.redis.client) {
      await this.redis.client.set(this.redis.key('revoked', tokenId), '1', 'PX', ttlMs);
      return;
    }
    this.pruneLocal();
    this.local.set(tokenId, expiresAtMs);
  }

  /** Fails closed: if Redis cannot answer, the caller gets the error rather than a pass. */
  async isRevoked(tokenId: string): Promise<boolean> {
    if (this.redis.client) return (await this.redis.client.exists(this.redis.key('revoked', tokenId))) === 1;
    const until = this.local.get(tokenId);
    return until !== undefined && until > Date.now();
  }

  private pruneLocal(): void {
    const now = Date.now();
    for (const [tokenId, until] of this.local) if (until <= now) this.local.delete(tokenId);
  }
}
