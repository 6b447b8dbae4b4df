import { ErrorCode } from '@chat/contracts';

import { TestApp, startTestApp } from './support/test-app';
import { TestUser, rawRequest, registerUser, uniqueName } from './support/users';

describe('rooms (REST)', () => {
  let app: TestApp;
  let owner: TestUser;
  let guest: TestUser;

  beforeAll(async () => {
    app = await startTestApp();
    owner = await registerUser(app.url, 'owner');
    guest = await registerUser(app.url, 'guest');
  });
  afterAll(() => app.close());

  it('creates a room owned by its creator', async () => {
    const room = await owner.client.http.createRoom({ name: 'General', visibility: 'public' });
    expect(room).toMatchObject({
      name: 'General',
      kind: 'group',
      visibility: 'public',
      ownerId: owner.id,
      lastSeq: 0,
      memberCount: 1,
    });
    const members = await owner.client.http.members(room.id);
    expect(members).toEqual([
      expect.objectContaining({ user: expect.objectContaining({ id: owner.id }), role: 'owner' }),
    ]);
  });

  it('lets anyone find and join a public room, idempotently', async () => {
    const name = uniqueName('Lobby');
    const room = await owner.client.http.createRoom({ name, visibility: 'public' });
    const found = await guest.client.http.publicRooms(name.toLowerCase());
    expect(found.map((r) => r.id)).toEqual([room.id]);
    expect((await guest.client.http.joinRoom(room.id)).memberCount).toBe(2);
    expect((await guest.client.http.joinRoom(room.id)).memberCount).toBe(2);
    expect((await guest.client.http.myRooms()).map((r) => r.id)).toContain(room.id);
  });

  it('keeps private rooms out of discovery and closed to joins; the owner adds members', async () => {
    const name = uniqueName('Secret');
    const room = await owner.client.http.createRoom({ name, visibility: 'private' });
    expect(await guest.client.http.publicRooms(name)).toEqual([]);
    await expect(guest.client.http.joinRoom(room.id)).rejects.toMatchObject({
      status: 403,
      code: ErrorCode.FORBIDDEN,
    });
    await expect(guest.client.http.history(room.id, {})).rejects.toMatchObject({ status: 403 });
    await expect(guest.client.http.members(room.id)).rejects.toMatchObject({ status: 403 });

    const outsider = await registerUser(app.url, 'outsider');
    await expect(guest.client.http.addMember(room.id, outsider.id)).rejects.toMatchObject({ status: 403 });

    const member = await owner.client.http.addMember(room.id, guest.id);
    expect(member).toMatchObject({ user: { id: guest.id }, role: 'member', lastReadSeq: 0 });
    expect((await guest.client.http.history(room.id, {})).messages).toEqual([]);
  });

  it('enforces capacity with ROOM_FULL (409)', async () => {
    const room = await owner.client.http.createRoom({ name: 'Pair', visibility: 'public', capacity: 2 });
    await guest.client.http.joinRoom(room.id);
    const third = await registerUser(app.url, 'third');
    await expect(third.client.http.joinRoom(room.id)).rejects.toMatchObject({
      status: 409,
      code: ErrorCode.ROOM_FULL,
    });
  });

  it('admits exactly `capacity` members when many join at once', async () => {
    const room = await owner.client.http.createRoom({ name: 'Rush', visibility: 'public', capacity: 3 });
    const crowd = await Promise.all(Array.from({ length: 6 }, () => registerUser(app.url, 'rush')));
    const results = await Promise.allSettled(crowd.map((user) => user.client.http.joinRoom(room.id)));
    expect(results.filter((result) => result.status === 'fulfilled')).toHaveLength(2);
    expect((await owner.client.http.members(room.id)).length).toBe(3);
  });

  it('lets a member leave, after which the room is closed to them', async () => {
    const room = await owner.client.http.createRoom({ name: 'Leaving', visibility: 'public' });
    await guest.client.http.joinRoom(room.id);
    await guest.client.http.leaveRoom(room.id);
    expect((await guest.client.http.myRooms()).map((r) => r.id)).not.toContain(room.id);
    await expect(guest.client.http.history(room.id, {})).rejects.toMatchObject({ status: 403 });
  });

  it('creates one direct room per pair, whoever asks, and keeps others out', async () => {
    const alice = await registerUser(app.url, 'dm_a');
    const bob = await registerUser(app.url, 'dm_b');
    const [first, second] = await Promise.all([
      alice.client.http.directRoom(bob.id),
      bob.client.http.directRoom(alice.id),
    ]);
    expect(first.id).toBe(second.id);
    expect(first).toMatchObject({ kind: 'direct', visibility: 'private', memberCount: 2 });

    const mine = (await alice.client.http.myRooms()).find((room) => room.id === first.id);
    expect(mine?.peer).toEqual({ id: bob.id, username: bob.username, displayName: bob.username });

    await expect(guest.client.http.joinRoom(first.id)).rejects.toMatchObject({ status: 403 });
    await expect(alice.client.http.leaveRoom(first.id)).rejects.toMatchObject({ status: 403 });
    await expect(alice.client.http.directRoom(alice.id)).rejects.toMatchObject({ status: 400 });
  });

  it('answers unknown rooms with 404 and malformed ids or queries with 400', async () => {
    const missing = '00000000-0000-4000-8000-000000000000';
    await expect(guest.client.http.joinRoom(missing)).rejects.toMatchObject({
      status: 404,
      code: ErrorCode.NOT_FOUND,
    });
    await expect(guest.client.http.history(missing, {})).rejects.toMatchObject({ status: 404 });

    const token = guest.auth.accessToken;
    const badId = await rawRequest(app.url, 'GET', '/api/rooms/not-a-uuid/messages', { token });
    expect(badId.status).toBe(400);
    expect(badId.body.fields).toHaveProperty('id');

    const room = await owner.client.http.createRoom({ name: 'Queries', visibility: 'public' });
    for (const query of [
      'limit=0',
      'limit=1000',
      'after=-1',
      'before=abc',
      'before=3&after=1',
      'limit=1.5',
      'before=100000000000000000000',
      'after=9223372036854775808',
    ]) {
      const response = await rawRequest(app.url, 'GET', `/api/rooms/${room.id}/messages?${query}`, {
        token: owner.auth.accessToken,
      });
      expect({ query, status: response.status }).toEqual({ query, status: 400 });
    }
    const badRoom = await rawRequest(app.url, 'POST', '/api/rooms', {
      token,
      body: JSON.stringify({ name: '   ', visibility: 'secret', capacity: 0 }),
    });
    expect(badRoom.status).toBe(400);
    expect(Object.keys(badRoom.body.fields).sort()).toEqual(['capacity', 'name', 'visibility']);
  });
});
