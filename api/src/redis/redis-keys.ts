/**
 * Every Redis key of the service is built here, under REDIS_KEY_PREFIX, so that it works on a single
 * Redis and on a Redis Cluster alike. A cluster places a key by the CRC16 of its name, or of the part
 * in the first `{…}` when there is one (its hash tag); a MULTI, a Lua script or a multi-key command
 * must only touch keys of one slot.
 *
 *  - `key(...)`: a key that every command uses on its own. No hash tag: the cluster places it by its
 *    whole name, so such keys (one per user, token, account) spread over all the shards. Also the
 *    prefix handed to a library that appends its own id and touches one key per command
 *    (rate-limiter-flexible).
 *  - `taggedKey(tag, ...)`: keys that one operation uses together. Keys with the same tag share a
 *    slot. Choose the narrowest tag that covers the operation (a user id, a room id) so load still
 *    spreads; a single tag for instance-wide sets where a script needs them together.
 */
export class RedisKeys {
  constructor(readonly prefix: string) {}

  key(...parts: string[]): string {
    return [this.prefix, ...parts].join(':');
  }

  /** `<prefix>:{<tag>}:<parts>`: the prefix stays first, so `SCAN MATCH <prefix>*` still finds it. */
  taggedKey(tag: string, ...parts: string[]): string {
    return [this.prefix, `{${tag}}`, ...parts].join(':');
  }
}
