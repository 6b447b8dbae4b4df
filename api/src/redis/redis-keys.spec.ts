import { RedisKeys } from './redis-keys';

// The slot function ioredis routes cluster commands with (a dependency of ioredis, without types).
// eslint-disable-next-line @typescript-eslint/no-require-imports
const calculateSlot = require('cluster-key-slot') as (key: string) => number;

describe('RedisKeys', () => {
  const keys = new RedisKeys('chat');

  it('keeps every key under the prefix', () => {
    expect(keys.key('revoked', 'abc')).toBe('chat:revoked:abc');
    expect(keys.taggedKey('presence', 'online')).toBe('chat:{presence}:online');
  });

  it('puts keys with one tag in one cluster slot, whatever follows the tag', () => {
    const slot = calculateSlot(keys.taggedKey('presence', 'online'));
    expect(calculateSlot(keys.taggedKey('presence', 'inst', 'api-1', 'users'))).toBe(slot);
    expect(calculateSlot(keys.taggedKey('presence', 'instances'))).toBe(slot);
  });

  it('spreads untagged keys over the slots', () => {
    const slots = new Set(Array.from({ length: 100 }, (_, i) => calculateSlot(keys.key('revoked', `t${i}`))));
    expect(slots.size).toBeGreaterThan(90);
  });
});
