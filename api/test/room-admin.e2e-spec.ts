import { randomUUID } from 'node:crypto';

import type { CreateBotResponse, IncomingWebhook, Message, Room } from '@chat/contracts';
import { ChatClient } from '@chat/sdk';

import { EventRecorder, rawAck } from './support/events';
import { useTwoApps } from './support/two-apps';
import { TestUser, createRoomWith, rawRequest, registerUser } from './support/users';

/**
 * Room administration over two instances: every change is made through instance one and seen by
 * sockets on instance two; every refusal is asked for over raw REST or raw socket events, where the
 * SDK could not hide an attack.
 */
describe('room administration (2 instances)', () => {
  const suite = useTwoApps('admin');

  const call = (user: TestUser, method: string, path: string, body?: object, app = suite.apps[0]) =>
    rawRequest(app.url, method, `/api${path}`, {
      token: user.auth.accessToken,
      body: body ? JSON.stringify(body) : undefined,
    });

  /** A room owned on instance one, with an admin and a member, and a marker room all three are in. */
  async function team(visibility: Room['visibility'] = 'public') {
    const [one, two] = suite.apps;
    const owner = await registerUser(one.url, 'owner');
    const admin = await registerUser(two.url, 'admin');
    const member = await registerUser(two.url, 'member');
    const room = await createRoomWith(owner, [admin, member], 'Team', visibility);
    const marker = await createRoomWith(owner, [admin, member], 'Marker');
    await owner.client.http.setMemberRole(room.id, admin.id, 'admin');
    return { owner, admin, member, room, marker };
  }

  const systemKinds = async (user: TestUser, roomId: string) =>
    (await user.client.http.history(roomId, { after: 0 })).messages
      .filter((m) => m.system)
      .map((m) => [m.seq, m.system!.kind, m.sender.id, m.system!.targetId ?? null]);

  it('tells members on the other instance of every change, live, with a system message that takes the next seq', async () => {
    const { owner, admin, member, room } = await team();
    const memberSocket = await suite.connect(member, suite.apps[1]);
    await memberSocket.join(room.id);
    const updates = new EventRecorder(memberSocket, 'room:updated');
    const messages = new EventRecorder(memberSocket, 'message:new');

    const renamed = await admin.client.http.updateRoom(room.id, { name: 'Renamed', topic: 'Plans for Q1' });
    expect(renamed).toMatchObject({ name: 'Renamed', topic: 'Plans for Q1' });
    expect((await updates.next((e) => e.room.name === 'Renamed')).room.topic).toBe('Plans for Q1');
    const rename = await messages.next((m) => m.system?.kind === 'room_renamed');
    expect(rename).toMatchObject({
      body: '',
      sender: { id: admin.id },
      system: { kind: 'room_renamed', actorId: admin.id, name: 'Renamed', topic: 'Plans for Q1' },
    });

    await owner.client.http.setMemberRole(room.id, member.id, 'admin');
    const promoted = await messages.next((m) => m.system?.kind === 'member_promoted');
    expect(promoted.system).toMatchObject({
      actorId: owner.id,
      targetId: member.id,
      target: { id: member.id, username: member.username },
    });
    await owner.client.http.setMemberRole(room.id, member.id, 'member');
    await messages.next((m) => m.system?.kind === 'member_demoted');

    // The changes are in history in seq order, after the regular messages, with no gap.
    await memberSocket.send(room.id, 'a regular message');
    const history = await member.client.http.history(room.id, { after: 0 });
    expect(history.messages.map((m) => m.seq)).toEqual([1, 2, 3, 4, 5]);
    expect(await systemKinds(member, room.id)).toEqual([
      [1, 'member_promoted', owner.id, admin.id],
      [2, 'room_renamed', admin.id, null],
      [3, 'member_promoted', owner.id, member.id],
      [4, 'member_demoted', owner.id, member.id],
    ]);
    expect((await member.client.http.members(room.id)).map((m) => [m.user.id, m.role]).sort()).toEqual(
      [
        [owner.id, 'owner'],
        [admin.id, 'admin'],
        [member.id, 'member'],
      ].sort(),
    );

    // A system message cannot be edited or deleted, not even by its actor.
    const adminSocket = await suite.connect(admin, suite.apps[0]);
    for (const [event, payload] of [
      ['message:edit', { messageId: rename.id, body: 'forged' }],
      ['message:delete', { messageId: rename.id }],
    ] as const) {
      expect(await rawAck(adminSocket, event, payload)).toMatchObject({
        ok: false,
        error: { code: 'FORBIDDEN' },
      });
    }
  });

  it("removes a member on instance one and unsubscribes their socket on instance two; a removed member's recovery is refused", async () => {
    const { owner, admin, member, room, marker } = await team();
    const ownerSocket = await suite.connect(owner, suite.apps[0]);
    await ownerSocket.join(room.id);
    await ownerSocket.join(marker.id);
    const memberSocket = await suite.connect(member, suite.apps[1], { reconnection: false });
    await memberSocket.join(room.id);
    await memberSocket.join(marker.id);
    const memberMessages = new EventRecorder(memberSocket, 'message:new');
    const removedEvents = new EventRecorder(memberSocket, 'room:removed');
    const ownerUpdates = new EventRecorder(ownerSocket, 'room:updated');

    const removed = await call(admin, 'DELETE', `/rooms/${room.id}/members/${member.id}`);
    expect(removed.status).toBe(204);
    expect(await removedEvents.next()).toEqual({ roomId: room.id, reason: 'removed' });
    expect(memberSocket.joinedRooms()).not.toContain(room.id);
    expect((await ownerUpdates.next((e) => e.room.memberCount === 2)).room.id).toBe(room.id);

    // Cut off: a message to the room never reaches the removed member, one to the marker room does.
    const { message: hidden } = await ownerSocket.send(room.id, 'after the removal');
    const { message: seen } = await ownerSocket.send(marker.id, 'marker');
    await memberMessages.next((m) => m.id === seen.id, 'the marker');
    expect(memberMessages.events.some((m) => m.id === hidden.id)).toBe(false);
    expect(
      await rawAck(memberSocket, 'message:send', {
        roomId: room.id,
        body: 'still here?',
        clientMsgId: randomUUID(),
      }),
    ).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    await expect(member.client.http.history(room.id)).rejects.toMatchObject({ status: 403 });
    expect(await systemKinds(owner, room.id)).toContainEqual([2, 'member_removed', admin.id, member.id]);

    // Removal is not a ban: the member may join the public room again…
    await expect(member.client.http.joinRoom(room.id)).resolves.toMatchObject({ id: room.id });
    await memberSocket.join(room.id);
    const { message: back } = await ownerSocket.send(room.id, 'welcome back');
    await memberMessages.next((m) => m.id === back.id, 'a room event before the drop');

    // …and a removal while the connection is down is not undone by connection state recovery.
    const dropped = new Promise((resolve) => memberSocket.socket.once('disconnect', resolve));
    memberSocket.socket.io.engine.close();
    await dropped;
    expect((await call(owner, 'DELETE', `/rooms/${room.id}/members/${member.id}`)).status).toBe(204);
    const { message: missed } = await ownerSocket.send(room.id, 'while the member was away');
    const afterDrop = new EventRecorder(memberSocket, 'message:new');
    await memberSocket.connect();
    expect(memberSocket.socket.recovered).toBe(false);
    const { message: marker2 } = await ownerSocket.send(marker.id, 'marker 2');
    await afterDrop.next((m) => m.id === marker2.id, 'the second marker');
    expect(afterDrop.events.some((m) => m.id === missed.id)).toBe(false);
  });

  it("cuts a removed member off the room's files and search: no upload, no download, no signed link made before, no hit", async () => {
    const { owner, member, room } = await team();
    const file = await member.client.http.uploadAttachment(room.id, new Blob(['plans']), 'plans.txt');
    const { message } = await owner.client.http.postMessage(room.id, 'zanzibar roadmap', randomUUID(), {});
    const {
      urls: [link],
    } = await member.client.http.attachmentUrls([file.id]);
    expect((await fetch(link.url)).status).toBe(200);
    const found = await call(member, 'GET', `/search?q=zanzibar&roomId=${room.id}`, undefined, suite.apps[1]);
    expect(found.body.hits.map((hit: { message: { id: string } }) => hit.message.id)).toEqual([message.id]);

    expect((await call(owner, 'DELETE', `/rooms/${room.id}/members/${member.id}`)).status).toBe(204);

    // Every path, on the instance that did not remove them.
    await expect(
      new ChatClient({ baseUrl: suite.apps[1].url, token: member.auth.accessToken }).http.uploadAttachment(
        room.id,
        new Blob(['more']),
        'more.txt',
      ),
    ).rejects.toMatchObject({ status: 403 });
    expect((await call(member, 'GET', `/attachments/${file.id}`, undefined, suite.apps[1])).status).toBe(404);
    expect((await fetch(link.url.replace(suite.apps[0].url, suite.apps[1].url))).status).toBe(404);
    expect(
      (await call(member, 'POST', '/attachments/signed-urls', { attachmentIds: [file.id] }, suite.apps[1]))
        .body,
    ).toMatchObject({ urls: [] });
    const afterRemoval = await call(member, 'GET', '/search?q=zanzibar', undefined, suite.apps[1]);
    expect([afterRemoval.status, afterRemoval.body.hits]).toEqual([200, []]);
  });

  it('refuses every administrative action to a member, and to an admin against the owner or another admin', async () => {
    const { owner, admin, member, room } = await team();
    const other = await registerUser(suite.apps[0].url, 'other');
    await other.client.http.joinRoom(room.id);
    await owner.client.http.setMemberRole(room.id, other.id, 'admin');
    const outsider = await registerUser(suite.apps[1].url, 'outsider');
    const before = await systemKinds(owner, room.id);

    const attempts = (target: TestUser): [string, string, object?][] => [
      ['PATCH', `/rooms/${room.id}`, { name: 'Hijacked' }],
      ['PUT', `/rooms/${room.id}/members/${target.id}/role`, { role: 'member' }],
      ['PUT', `/rooms/${room.id}/members/${target.id}/role`, { role: 'admin' }],
      ['PUT', `/rooms/${room.id}/owner`, { userId: target.id }],
      ['DELETE', `/rooms/${room.id}/members/${target.id}`],
      ['POST', `/rooms/${room.id}/bans`, { userId: target.id }],
      ['POST', `/rooms/${room.id}/archive`],
      ['DELETE', `/rooms/${room.id}`],
    ];
    for (const [method, path, body] of [...attempts(owner), ...attempts(admin)]) {
      const answer = await call(member, method, path, body, suite.apps[1]);
      expect([method, path, answer.status, answer.body.code]).toEqual([method, path, 403, 'FORBIDDEN']);
      const outside = await call(outsider, method, path, body, suite.apps[1]);
      expect([method, path, outside.status]).toEqual([method, path, 403]);
    }
    // An admin may not demote, remove, ban or take over from the owner, nor touch another admin.
    for (const target of [owner, other]) {
      for (const [method, path, body] of attempts(target).slice(1)) {
        const answer = await call(admin, method, path, body);
        expect([method, path, answer.status]).toEqual([method, path, 403]);
      }
    }
    expect(await systemKinds(owner, room.id)).toEqual(before);
    const [current] = (await owner.client.http.myRooms()).filter((r) => r.id === room.id);
    expect(current).toMatchObject({ name: 'Team', ownerId: owner.id, archivedAt: null, role: 'owner' });
    expect((await owner.client.http.members(room.id)).length).toBe(4);

    // Hostile input gets field errors, not a 500.
    for (const [path, body] of [
      [`/rooms/${room.id}`, { name: '' }],
      [`/rooms/${room.id}`, { name: 'x'.repeat(81) }],
      [`/rooms/${room.id}`, { topic: 'x'.repeat(501) }],
      [`/rooms/${room.id}`, { topic: 'nul\u0000' }],
      [`/rooms/${room.id}/members/${member.id}/role`, { role: 'owner' }],
      [`/rooms/${room.id}/owner`, { userId: 'not-a-uuid' }],
    ] as const) {
      const method = path.endsWith('role') || path.endsWith('owner') ? 'PUT' : 'PATCH';
      const answer = await call(owner, method, path, body);
      expect([path, answer.status, answer.body.code]).toEqual([path, 400, 'VALIDATION']);
    }
    expect((await call(owner, 'DELETE', `/rooms/not-a-uuid/members/${member.id}`)).status).toBe(400);
  });

  it('lets the owner hand the room over and then leave; an owner with company cannot leave; the last member leaving archives it', async () => {
    const { owner, admin, member, room } = await team();
    const left = await call(owner, 'POST', `/rooms/${room.id}/leave`);
    expect([left.status, left.body.code]).toEqual([409, 'CONFLICT']);

    const memberSocket = await suite.connect(member, suite.apps[1]);
    await memberSocket.join(room.id);
    const updates = new EventRecorder(memberSocket, 'room:updated');
    expect(await owner.client.http.transferOwnership(room.id, member.id)).toMatchObject({
      ownerId: member.id,
    });
    await updates.next((e) => e.room.ownerId === member.id, 'the new owner');
    expect(await systemKinds(member, room.id)).toContainEqual([
      2,
      'ownership_transferred',
      owner.id,
      member.id,
    ]);
    // The old owner is an admin now: no longer able to archive, but free to leave.
    expect((await call(owner, 'POST', `/rooms/${room.id}/archive`)).status).toBe(403);
    await owner.client.http.leaveRoom(room.id);
    await admin.client.http.leaveRoom(room.id);
    await member.client.http.leaveRoom(room.id);
    const { rows } = await suite.db.query('SELECT archived_at FROM rooms WHERE id = $1', [room.id]);
    expect(rows[0].archived_at).not.toBeNull();
    const rejoin = await call(admin, 'POST', `/rooms/${room.id}/join`);
    expect([rejoin.status, rejoin.body.code]).toEqual([409, 'ROOM_ARCHIVED']);
  });

  it('refuses writes to an archived room on every path with ROOM_ARCHIVED, keeps it readable, and takes writes again once unarchived', async () => {
    const { owner, member, room } = await team('private');
    const bot: CreateBotResponse = (
      await call(owner, 'POST', `/rooms/${room.id}/bots`, { username: `bot_${randomUUID().slice(0, 8)}` })
    ).body;
    const hook: IncomingWebhook = (
      await call(owner, 'POST', `/bots/${bot.bot.id}/incoming-webhooks`, { roomId: room.id })
    ).body;
    const memberSocket = await suite.connect(member, suite.apps[1]);
    await memberSocket.join(room.id);
    const { message: mine } = await memberSocket.send(room.id, 'before the archive');
    const updates = new EventRecorder(memberSocket, 'room:updated');

    expect((await owner.client.http.archiveRoom(room.id)).archivedAt).not.toBeNull();
    await updates.next((e) => e.room.archivedAt !== null, 'the archive');
    const lastSeq = (await member.client.http.history(room.id)).messages.at(-1)!.seq;

    const archived = { ok: false, error: { code: 'ROOM_ARCHIVED' } };
    expect(
      await rawAck(memberSocket, 'message:send', { roomId: room.id, body: 'x', clientMsgId: randomUUID() }),
    ).toMatchObject(archived);
    expect(await rawAck(memberSocket, 'message:edit', { messageId: mine.id, body: 'edited' })).toMatchObject(
      archived,
    );
    expect(await rawAck(memberSocket, 'message:delete', { messageId: mine.id })).toMatchObject(archived);
    expect(await rawAck(memberSocket, 'reaction:add', { messageId: mine.id, emoji: '👍' })).toMatchObject(
      archived,
    );
    const reply = { roomId: room.id, body: 'a reply', clientMsgId: randomUUID(), threadRootId: mine.id };
    expect(await rawAck(memberSocket, 'message:send', reply)).toMatchObject(archived);
    const rest = await call(
      member,
      'POST',
      `/rooms/${room.id}/messages`,
      { body: 'x', clientMsgId: randomUUID() },
      suite.apps[1],
    );
    expect([rest.status, rest.body.code]).toEqual([409, 'ROOM_ARCHIVED']);
    const byBot = await rawRequest(suite.apps[1].url, 'POST', `/api/rooms/${room.id}/messages`, {
      token: bot.apiKey.key,
      body: JSON.stringify({ body: 'x', clientMsgId: randomUUID() }),
    });
    expect([byBot.status, byBot.body.code]).toEqual([409, 'ROOM_ARCHIVED']);
    const byWebhook = await rawRequest(suite.apps[0].url, 'POST', hook.path, {
      body: JSON.stringify({ text: 'x' }),
    });
    expect([byWebhook.status, byWebhook.body.code]).toEqual([409, 'ROOM_ARCHIVED']);
    await expect(
      member.client.http.uploadAttachment(room.id, new Blob(['x']), 'late.txt'),
    ).rejects.toMatchObject({
      status: 409,
      code: 'ROOM_ARCHIVED',
    });
    for (const [method, path, body] of [
      ['PATCH', `/rooms/${room.id}`, { topic: 'x' }],
      ['POST', `/rooms/${room.id}/members`, { userId: owner.id }],
      ['DELETE', `/rooms/${room.id}/members/${member.id}`],
    ] as const) {
      const answer = await call(owner, method, path, body);
      expect([path, answer.status, answer.body.code]).toEqual([path, 409, 'ROOM_ARCHIVED']);
    }
    // Nothing was stored and no seq was spent; reading still works.
    const history = await member.client.http.history(room.id, { after: 0 });
    expect(history.messages.at(-1)!.seq).toBe(lastSeq);
    expect(history.messages.find((m) => m.id === mine.id)!.body).toBe('before the archive');

    await owner.client.http.unarchiveRoom(room.id);
    const { message: after } = await memberSocket.send(room.id, 'after the unarchive');
    expect(after.seq).toBe(lastSeq + 2);
    expect((await systemKinds(owner, room.id)).map(([, kind]) => kind)).toEqual([
      'member_promoted',
      'room_archived',
      'room_unarchived',
    ]);
  });

  it('deletes a room with its messages and attachments; members on the other instance are told and unsubscribed', async () => {
    const { owner, admin, member, room } = await team();
    const memberSocket = await suite.connect(member, suite.apps[1]);
    await memberSocket.join(room.id);
    const file = await member.client.http.uploadAttachment(room.id, new Blob(['the minutes']), 'minutes.txt');
    await memberSocket.send(room.id, 'soon gone', { attachmentIds: [file.id] });
    const {
      rows: [stored],
    } = await suite.db.query('SELECT blob_key FROM attachments WHERE id = $1', [file.id]);
    const removed = new EventRecorder(memberSocket, 'room:removed');

    expect((await call(admin, 'DELETE', `/rooms/${room.id}`)).status).toBe(403);
    expect((await call(owner, 'DELETE', `/rooms/${room.id}`)).status).toBe(204);
    expect(await removed.next()).toEqual({ roomId: room.id, reason: 'deleted' });
    expect(memberSocket.joinedRooms()).not.toContain(room.id);
    await expect(member.client.http.history(room.id)).rejects.toMatchObject({ status: 404 });
    const { rows } = await suite.db.query('SELECT count(*)::int AS n FROM messages WHERE room_id = $1', [
      room.id,
    ]);
    expect(rows[0].n).toBe(0);
    // The attachment went too: its row at once, its bytes queued for the collector (or already deleted).
    const download = await call(member, 'GET', `/attachments/${file.id}`, undefined, suite.apps[1]);
    expect(download.status).toBe(404);
    const { rows: bytes } = await suite.db.query(
      `SELECT (SELECT count(*)::int FROM attachments WHERE id = $1) AS rows,
         EXISTS (SELECT 1 FROM attachment_deletions WHERE key = $2) AS queued,
         EXISTS (SELECT 1 FROM attachment_blob_chunks WHERE key = $2) AS stored`,
      [file.id, stored.blob_key],
    );
    expect(bytes[0].rows).toBe(0);
    expect(bytes[0].queued || !bytes[0].stored).toBe(true);
    expect((await owner.client.http.myRooms()).some((r) => r.id === room.id)).toBe(false);
    expect((await call(owner, 'DELETE', `/rooms/${room.id}`)).status).toBe(404);
  });
});

describe('account (2 instances)', () => {
  const suite = useTwoApps('account');

  const PASSWORD = 'correct horse battery';

  it('changes the display name live in the rooms on the other instance', async () => {
    const alice = await registerUser(suite.apps[0].url, 'alice');
    const bob = await registerUser(suite.apps[1].url, 'bob');
    const room = await createRoomWith(alice, [bob], 'Names');
    const bobSocket = await suite.connect(bob.auth.accessToken, suite.apps[1]);
    await bobSocket.join(room.id);
    const updated = new EventRecorder(bobSocket, 'user:updated');

    expect(await alice.client.http.updateProfile({ displayName: '  Alice Liddell ' })).toMatchObject({
      displayName: 'Alice Liddell',
    });
    expect(await updated.next()).toEqual({
      user: { id: alice.id, username: alice.username, displayName: 'Alice Liddell' },
    });
    const blank = await rawRequest(suite.apps[0].url, 'PATCH', '/api/account', {
      token: alice.auth.accessToken,
      body: JSON.stringify({ displayName: '   ' }),
    });
    expect([blank.status, blank.body.code]).toEqual([400, 'VALIDATION']);
  });

  it('changes the password with the current one and ends every other session on every instance', async () => {
    const alice = await registerUser(suite.apps[0].url, 'alice');
    const other = await new ChatClient({ baseUrl: suite.apps[1].url }).http.login({
      username: alice.username,
      password: PASSWORD,
    });
    const otherSocket = await suite.connect(other.accessToken, suite.apps[1]);
    const ended = new EventRecorder(otherSocket, 'session:ended');

    const wrong = await rawRequest(suite.apps[0].url, 'POST', '/api/account/password', {
      token: alice.auth.accessToken,
      body: JSON.stringify({ currentPassword: 'not it at all', newPassword: 'a new password' }),
    });
    expect([wrong.status, wrong.body.code]).toEqual([400, 'VALIDATION']);

    await alice.client.http.changePassword({ currentPassword: PASSWORD, newPassword: 'a new password' });
    expect(await ended.next()).toMatchObject({ reason: 'logged_out' });
    const refused = await rawRequest(suite.apps[1].url, 'GET', '/api/auth/me', { token: other.accessToken });
    expect(refused.status).toBe(401);
    // The caller's session goes on; the old password no longer signs in, the new one does.
    await expect(alice.client.http.me()).resolves.toMatchObject({ id: alice.id });
    const client = new ChatClient({ baseUrl: suite.apps[0].url }).http;
    await expect(client.login({ username: alice.username, password: PASSWORD })).rejects.toMatchObject({
      status: 401,
    });
    await expect(
      client.login({ username: alice.username, password: 'a new password' }),
    ).resolves.toBeDefined();
  });

  it('deletes an account: messages stay as "Deleted user", rooms are handed over or archived, and its token, sockets and recovery are refused everywhere', async () => {
    const [one, two] = suite.apps;
    const alice = await registerUser(one.url, 'alice');
    const bob = await registerUser(two.url, 'bob');
    const shared = await alice.client.http.createRoom({ name: 'Shared', visibility: 'public' });
    const alone = await alice.client.http.createRoom({ name: 'Alone', visibility: 'private' });
    await bob.client.http.joinRoom(shared.id);
    const bobSocket = await suite.connect(bob.auth.accessToken, two);
    await bobSocket.join(shared.id);
    const aliceSocket = await suite.connect(alice.auth.accessToken, two, { reconnection: false });
    await aliceSocket.join(shared.id);
    const { message: hello } = await aliceSocket.send(shared.id, 'hello from alice');
    const ended = new EventRecorder(aliceSocket, 'session:ended');
    const updates = new EventRecorder(bobSocket, 'room:updated');

    const wrong = await rawRequest(one.url, 'DELETE', '/api/account', {
      token: alice.auth.accessToken,
      body: JSON.stringify({ password: 'wrong password' }),
    });
    expect(wrong.status).toBe(400);
    await alice.client.http.deleteAccount({ password: PASSWORD });

    expect(await ended.next()).toMatchObject({ reason: 'logged_out' });
    expect((await updates.next((e) => e.room.ownerId === bob.id, 'the hand-over')).room.memberCount).toBe(1);
    for (const app of suite.apps) {
      const me = await rawRequest(app.url, 'GET', '/api/auth/me', { token: alice.auth.accessToken });
      expect([me.status, me.body.code]).toEqual([401, 'UNAUTHORIZED']);
    }
    await expect(suite.connect(alice, one, { reconnection: false })).rejects.toBeDefined();
    const login = await rawRequest(one.url, 'POST', '/api/auth/login', {
      body: JSON.stringify({ username: alice.username, password: PASSWORD }),
    });
    expect(login.status).toBe(401);
    // The old socket's recovery (same pid, same token) is refused too.
    await expect(aliceSocket.connect()).rejects.toBeDefined();

    const history = await bob.client.http.history(shared.id, { after: 0 });
    const kept = history.messages.find((m: Message) => m.id === hello.id)!;
    expect(kept).toMatchObject({
      body: 'hello from alice',
      sender: { id: alice.id, displayName: 'Deleted user', deleted: true },
    });
    expect(kept.sender.username).not.toBe(alice.username);
    expect(history.messages.at(-1)!.system).toMatchObject({
      kind: 'ownership_transferred',
      actorId: alice.id,
      targetId: bob.id,
    });
    expect((await bob.client.http.members(shared.id)).map((m) => [m.user.id, m.role])).toEqual([
      [bob.id, 'owner'],
    ]);
    // Nobody is left in the other room: archived rather than handed to no one.
    const { rows } = await suite.db.query('SELECT archived_at, owner_id FROM rooms WHERE id = $1', [
      alone.id,
    ]);
    expect(rows[0].archived_at).not.toBeNull();
    // A deleted account can be found, messaged or added by no one, and its username is free again.
    expect((await bob.client.http.searchUsers(alice.username)).length).toBe(0);
    await expect(bob.client.http.directRoom(alice.id)).rejects.toMatchObject({ status: 404 });
    await expect(
      new ChatClient({ baseUrl: one.url }).http.register({ username: alice.username, password: PASSWORD }),
    ).resolves.toBeDefined();
  });
});
