import type { ClusterStats } from '@chat/contracts';

import { tickBatcher } from '../common/tick-batcher';
import type { RedisClient } from '../redis/redis.module';
import type { PresenceStore } from './presence-store';

/**
 * Cluster presence in Redis.
 *   <p>:online            hash  userId → connections across the cluster (absent = offline)
 *   <p>:inst:<id>:users   hash  userId → connections on instance <id> (to undo a dead instance's share)
 *   <p>:conns             hash  instanceId → connections on it
 *   <p>:instances         zset  instanceId scored by its last heartbeat (ms)
 * Every change is one Lua script, so counts stay consistent however instances interleave, and an
 * instance that dies without cleaning up (kill -9) is reaped by any survivor once its heartbeat is stale.
 * The scripts touch the instance-wide hashes together, so on a Redis Cluster all these keys share one
 * hash tag (`<p>` is `<REDIS_KEY_PREFIX>:{presence}`): one shard holds presence.
 */
export class RedisPresenceStore implements PresenceStore {
  /** This instance's own share, kept to re-register it if survivors ever reaped us while we were alive. */
  private readonly local = new Map<string, number>();
  private registered = false;
  /**
   * Connects and disconnects of one event-loop turn (a connection storm: thousands) as one script
   * call, applied in the order they were made, so a disconnect never overtakes its connect. Returns
   * each change's cluster-wide count (-1: a disconnect this instance did not count).
   */
  private readonly changes = tickBatcher<{ userId: string; delta: 1 | -1 }, number>(async (changes) => {
    const args = changes.flatMap(({ userId, delta }) => [userId, delta]);
    return (await this.redis.eval(
      APPLY_CHANGES,
      4,
      ...this.keys,
      this.instanceId,
      Date.now(),
      ...args,
    )) as number[];
  });
  /** The handshake's per-user connection count: one HMGET for the handshakes of one turn. */
  private readonly counts = tickBatcher<string, number>(async (userIds) =>
    (await this.redis.hmget(`${this.prefix}:online`, ...userIds)).map((count) => Number(count ?? 0)),
  );

  constructor(
    private readonly redis: RedisClient,
    private readonly prefix: string,
    private readonly instanceId: string,
    /** An instance silent for longer than this is considered dead. */
    private readonly staleAfterMs: number,
  ) {}

  private get keys(): string[] {
    const p = this.prefix;
    return [`${p}:online`, `${p}:inst:${this.instanceId}:users`, `${p}:conns`, `${p}:instances`];
  }

  async addConnection(userId: string): Promise<boolean> {
    this.local.set(userId, (this.local.get(userId) ?? 0) + 1);
    return (await this.changes.load({ userId, delta: 1 })) === 1;
  }

  async removeConnection(userId: string): Promise<boolean> {
    const count = this.local.get(userId) ?? 0;
    if (count <= 1) this.local.delete(userId);
    else this.local.set(userId, count - 1);
    return (await this.changes.load({ userId, delta: -1 })) === 0;
  }

  connectionsOf(userId: string): Promise<number> {
    return this.counts.load(userId);
  }

  async onlineAmong(userIds: readonly string[]): Promise<Set<string>> {
    if (userIds.length === 0) return new Set();
    const counts = await this.redis.hmget(`${this.prefix}:online`, ...userIds);
    return new Set(userIds.filter((_, i) => counts[i] !== null));
  }

  async stats(): Promise<ClusterStats> {
    const p = this.prefix;
    const [[, onlineUsers], [, alive], [, conns]] = (await this.redis
      .multi()
      .hlen(`${p}:online`)
      .zrangebyscore(`${p}:instances`, Date.now() - this.staleAfterMs, '+inf')
      .hgetall(`${p}:conns`)
      .exec()) as [[null, number], [null, string[]], [null, Record<string, string>]];
    const instances = alive.sort().map((id) => ({ id, connections: Number(conns[id] ?? 0) }));
    return {
      onlineUsers,
      connections: instances.reduce((sum, instance) => sum + instance.connections, 0),
      instances,
    };
  }

  async heartbeat(): Promise<string[]> {
    const now = Date.now();
    const p = this.prefix;
    const added = await this.redis.zadd(`${p}:instances`, now, this.instanceId);
    // Absent although we had registered: we were reaped during a stall (GC pause, partition). Re-add our share.
    if (added === 1 && this.registered) await this.reregister();
    this.registered = true;
    const stale = await this.redis.zrangebyscore(`${p}:instances`, '-inf', now - this.staleAfterMs);
    const offline: string[] = [];
    for (const id of stale) offline.push(...(await this.reap(id)));
    return offline;
  }

  async leave(): Promise<void> {
    this.local.clear();
    await this.reap(this.instanceId);
  }

  private async reregister(): Promise<void> {
    const [online, instUsers, conns] = this.keys;
    const pipeline = this.redis.multi();
    let total = 0;
    for (const [userId, count] of this.local) {
      pipeline.hincrby(online, userId, count).hincrby(instUsers, userId, count);
      total += count;
    }
    await pipeline.hincrby(conns, this.instanceId, total).exec();
  }

  /**
   * Removes an instance and its connections. Atomic, and it deletes the instance's user hash: a
   * second reaper of the same instance finds nothing left to subtract.
   */
  private async reap(instanceId: string): Promise<string[]> {
    const p = this.prefix;
    return (await this.redis.eval(
      REAP_INSTANCE,
      4,
      `${p}:online`,
      `${p}:inst:${instanceId}:users`,
      `${p}:conns`,
      `${p}:instances`,
      instanceId,
    )) as string[];
  }
}

// KEYS: online, instUsers, conns, instances. ARGV: instanceId, now, then (userId, delta ±1) pairs.
// Returns, per pair, the user's cluster-wide count after it (-1: a disconnect not counted here).
const APPLY_CHANGES = `
local results = {}
local added = false
for i = 3, #ARGV, 2 do
  local user = ARGV[i]
  if ARGV[i + 1] == '1' then
    redis.call('HINCRBY', KEYS[2], user, 1)
    redis.call('HINCRBY', KEYS[3], ARGV[1], 1)
    added = true
    table.insert(results, redis.call('HINCRBY', KEYS[1], user, 1))
  else
    local here = tonumber(redis.call('HGET', KEYS[2], user) or '0')
    if here <= 0 then
      table.insert(results, -1)
    else
      if here == 1 then redis.call('HDEL', KEYS[2], user) else redis.call('HINCRBY', KEYS[2], user, -1) end
      redis.call('HINCRBY', KEYS[3], ARGV[1], -1)
      local total = redis.call('HINCRBY', KEYS[1], user, -1)
      if total <= 0 then redis.call('HDEL', KEYS[1], user) total = 0 end
      table.insert(results, total)
    end
  end
end
if added then redis.call('ZADD', KEYS[4], ARGV[2], ARGV[1]) end
return results
`;

// KEYS: online, instUsers (of the dead instance), conns, instances. ARGV: instanceId. Returns users now offline.
const REAP_INSTANCE = `
redis.call('ZREM', KEYS[4], ARGV[1])
redis.call('HDEL', KEYS[3], ARGV[1])
local entries = redis.call('HGETALL', KEYS[2])
local offline = {}
for i = 1, #entries, 2 do
  local total = redis.call('HINCRBY', KEYS[1], entries[i], -tonumber(entries[i + 1]))
  if total <= 0 then
    redis.call('HDEL', KEYS[1], entries[i])
    table.insert(offline, entries[i])
  end
end
redis.call('DEL', KEYS[2])
return offline
`;
