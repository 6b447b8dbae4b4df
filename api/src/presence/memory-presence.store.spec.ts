import { MemoryPresenceStore } from './memory-presence.store';

describe('MemoryPresenceStore', () => {
  it('reports only the first connection and the last disconnection of a user', async () => {
    const store = new MemoryPresenceStore('one');
    expect(await store.addConnection('alice')).toBe(true);
    expect(await store.addConnection('alice')).toBe(false);
    expect(await store.removeConnection('alice')).toBe(false);
    expect(await store.removeConnection('alice')).toBe(true);
    expect(await store.removeConnection('alice')).toBe(false);
  });

  it('counts users and connections', async () => {
    const store = new MemoryPresenceStore('one');
    await store.addConnection('alice');
    await store.addConnection('alice');
    await store.addConnection('bob');
    expect(await store.stats()).toEqual({
      onlineUsers: 2,
      connections: 3,
      instances: [{ id: 'one', connections: 3 }],
    });
    expect(await store.onlineAmong(['alice', 'carol'])).toEqual(new Set(['alice']));
  });
});
