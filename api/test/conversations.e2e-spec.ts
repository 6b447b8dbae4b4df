import { randomUUID } from 'node:crypto';

import { CreateBotResponse, ErrorCode, Limits, WebhookPayload } from '@chat/contracts';
import { ChatClient, ChatSocket } from '@chat/sdk';

import { EventRecorder, rawAck } from './support/events';
import { TestApp, startTestApp } from './support/test-app';
import { RUN_REDIS_PREFIX_VAR } from './support/test-env';
import { TestUser, rawRequest, registerUser } from './support/users';
import { WebhookReceiver } from './support/webhook-receiver';

/**
 * Threads, reactions, mentions and notification preferences, with the people on different instances:
 * whatever one does on instance one reaches the other on instance two.
 */
describe('conversations across 2 instances: threads, reactions, mentions', () => {
  let apps: TestApp[];
  const sockets: ChatSocket[] = [];

  beforeAll(async () => {
    const env = {
      REDIS_KEY_PREFIX: `${process.env[RUN_REDIS_PREFIX_VAR]}:conv-${randomUUID().slice(0, 8)}`,
      // The emoji-cap and burst tests send more than a person would.
      EVENT_RATE_LIMIT: '100000',
      MESSAGE_RATE_LIMIT: '100000',
    };
    apps = [await startTestApp(env), await startTestApp(env)];
  });
  afterEach(() => {
    for (const socket of sockets.splice(0)) socket.disconnect();
  });
  afterAll(() => Promise.all(apps.map((app) => app.close())));

  async function connect(user: TestUser, app: TestApp): Promise<ChatSocket> {
    const socket = new ChatClient({ baseUrl: app.url, token: user.auth.accessToken }).socket();
    sockets.push(socket);
    await socket.connect();
    return socket;
  }

  /** Transactions of the group commit that stored more than one message (the registry is the process's). */
  async function batchedWrites(): Promise<number> {
    const metrics = await (await fetch(`${apps[0].metricsUrl}/metrics`)).text();
    const sum = (prefix: string) =>
      metrics
        .split('\n')
        .filter((line) => line.startsWith(prefix))
        .reduce((total, line) => total + Number(line.slice(line.lastIndexOf(' ') + 1)), 0);
    return sum('chat_message_batch_size_count') - sum('chat_message_batch_size_bucket{le="1"');
  }

  /** Alice on instance one, Bob on instance two, both in a group room and subscribed to it. */
  async function twoPeople() {
    const [one, two] = apps;
    const alice = await registerUser(one.url, 'alice');
    const bob = await registerUser(two.url, 'bob');
    const room = await alice.client.http.createRoom({ name: 'Team', visibility: 'public' });
    await bob.client.http.joinRoom(room.id);
    const aliceSocket = await connect(alice, one);
    const bobSocket = await connect(bob, two);
    await aliceSocket.join(room.id);
    await bobSocket.join(room.id);
    return { alice, bob, room, aliceSocket, bobSocket };
  }

  describe('threads', () => {
    it("carries a reply and its root's new counters to the other instance, and pages the thread", async () => {
      const { alice, bob, room, aliceSocket, bobSocket } = await twoPeople();
      const { message: root } = await aliceSocket.send(room.id, 'a question');
      const aliceHears = new EventRecorder(aliceSocket, 'message:new');

      const { message: first } = await bobSocket.send(room.id, 'an answer', { threadRootId: root.id });
      expect(first).toMatchObject({ threadRootId: root.id, seq: root.seq + 1, replyCount: 0 });
      const heard = await aliceHears.next((m) => m.id === first.id, 'the reply on instance one');
      expect(heard.threadRoot).toEqual({ replyCount: 1, lastReplyAt: first.createdAt });

      // A top-level message in between, then a second reply through REST (as a bot or script would).
      const { message: between } = await aliceSocket.send(room.id, 'meanwhile');
      const second = await bob.client.http.postMessage(room.id, 'another answer', randomUUID(), {
        threadRootId: root.id,
      });
      expect(second.message.threadRoot).toEqual({ replyCount: 2, lastReplyAt: second.message.createdAt });
      await aliceHears.next((m) => m.id === second.message.id, 'the REST reply');

      const thread = await alice.client.http.history(room.id, { threadRootId: root.id });
      expect(thread.messages.map((m) => m.id)).toEqual([root.id, first.id, second.message.id]);
      expect(thread.messages[0]).toMatchObject({ replyCount: 2, lastReplyAt: second.message.createdAt });
      expect(thread.messages[1].threadRoot).toEqual({ replyCount: 2, lastReplyAt: second.message.createdAt });
      expect(thread.hasMore).toBe(false);

      // The same before/after/hasMore contract, one message per page.
      const newest = await alice.client.http.history(room.id, { threadRootId: root.id, limit: 1 });
      expect(newest).toEqual({
        messages: [expect.objectContaining({ id: second.message.id })],
        hasMore: true,
      });
      const older = await alice.client.http.history(room.id, {
        threadRootId: root.id,
        before: second.message.seq,
        limit: 1,
      });
      expect(older).toEqual({ messages: [expect.objectContaining({ id: first.id })], hasMore: true });
      const after = await alice.client.http.history(room.id, {
        threadRootId: root.id,
        after: root.seq,
        limit: 1,
      });
      expect(after).toEqual({ messages: [expect.objectContaining({ id: first.id })], hasMore: true });

      const main = await alice.client.http.history(room.id, { topLevel: true });
      expect(main.messages.map((m) => m.id)).toEqual([root.id, between.id]);
      // The whole room still has every seq, replies included: catch-up is unchanged.
      const all = await alice.client.http.history(room.id, { after: 0 });
      expect(all.messages.map((m) => m.seq)).toEqual([1, 2, 3, 4]);
    });

    it("takes a bot's reply over REST with its API key, and an outgoing webhook is told of it", async () => {
      const { alice, room, aliceSocket, bobSocket } = await twoPeople();
      const receiver = await WebhookReceiver.start();
      try {
        const hook = await rawRequest(apps[0].url, 'POST', `/api/rooms/${room.id}/webhooks`, {
          token: alice.auth.accessToken,
          body: JSON.stringify({ url: receiver.url, events: ['message.created'] }),
        });
        expect(hook.status).toBe(201);
        const created = await rawRequest(apps[0].url, 'POST', `/api/rooms/${room.id}/bots`, {
          token: alice.auth.accessToken,
          body: JSON.stringify({ username: `bot_${randomUUID().slice(0, 8)}` }),
        });
        const { bot, apiKey } = created.body as CreateBotResponse;
        const { message: root } = await aliceSocket.send(room.id, 'deploy please');
        const bobHears = new EventRecorder(bobSocket, 'message:new');

        const posted = await rawRequest(apps[1].url, 'POST', `/api/rooms/${room.id}/messages`, {
          token: apiKey.key,
          body: JSON.stringify({ body: 'deployed', clientMsgId: 'deploy-1', threadRootId: root.id }),
        });
        expect(posted).toMatchObject({
          status: 201,
          body: {
            message: {
              threadRootId: root.id,
              threadRoot: { replyCount: 1 },
              sender: { id: bot.id, isBot: true },
            },
          },
        });
        const heard = await bobHears.next((m) => m.id === posted.body.message.id, "the bot's reply");
        expect(heard.threadRoot?.replyCount).toBe(1);
        const delivered = await receiver.next(
          (h) => (JSON.parse(h.body) as WebhookPayload).message.id === posted.body.message.id,
          "the webhook of the bot's reply",
        );
        expect((JSON.parse(delivered.body) as WebhookPayload).message).toMatchObject({
          threadRootId: root.id,
        });

        // A repeat of the same clientMsgId is the original: the root is not counted twice.
        const again = await rawRequest(apps[0].url, 'POST', `/api/rooms/${room.id}/messages`, {
          token: apiKey.key,
          body: JSON.stringify({ body: 'deployed', clientMsgId: 'deploy-1', threadRootId: root.id }),
        });
        expect(again).toMatchObject({
          status: 200,
          body: { duplicate: true, message: { threadRoot: { replyCount: 1 } } },
        });
        const page = await alice.client.http.history(room.id, { threadRootId: root.id });
        expect(page.messages.map((m) => m.id)).toEqual([root.id, posted.body.message.id]);
        expect(page.messages[0].replyCount).toBe(1);
      } finally {
        await receiver.close();
      }
    });

    it('refuses a reply to a reply, to a root of another room, and a thread page of either', async () => {
      const { alice, room, aliceSocket } = await twoPeople();
      const { message: root } = await aliceSocket.send(room.id, 'root');
      const { message: reply } = await aliceSocket.send(room.id, 'reply', { threadRootId: root.id });
      const other = await alice.client.http.createRoom({ name: 'Elsewhere', visibility: 'private' });
      await aliceSocket.join(other.id);
      const lastSeq = (await aliceSocket.join(room.id)).lastSeq;

      for (const threadRootId of [reply.id, randomUUID()]) {
        const ack = await rawAck(aliceSocket, 'message:send', {
          roomId: room.id,
          body: 'nope',
          clientMsgId: randomUUID(),
          threadRootId,
        });
        expect(ack).toMatchObject({ ok: false, error: { code: ErrorCode.INVALID_THREAD_ROOT } });
      }
      const crossRoom = await rawAck(aliceSocket, 'message:send', {
        roomId: other.id,
        body: 'nope',
        clientMsgId: randomUUID(),
        threadRootId: root.id,
      });
      expect(crossRoom).toMatchObject({ ok: false, error: { code: ErrorCode.INVALID_THREAD_ROOT } });
      const rest = await rawRequest(apps[0].url, 'POST', `/api/rooms/${room.id}/messages`, {
        token: alice.auth.accessToken,
        body: JSON.stringify({ body: 'nope', clientMsgId: randomUUID(), threadRootId: reply.id }),
      });
      expect(rest).toMatchObject({ status: 422, body: { code: ErrorCode.INVALID_THREAD_ROOT } });

      // No seq was spent and the root was not counted.
      expect((await aliceSocket.join(room.id)).lastSeq).toBe(lastSeq);
      const page = await alice.client.http.history(room.id, { threadRootId: root.id });
      expect(page.messages[0].replyCount).toBe(1);
      await expect(alice.client.http.history(room.id, { threadRootId: reply.id })).rejects.toMatchObject({
        status: 422,
      });
      await expect(
        alice.client.http.history(room.id, { threadRootId: root.id, topLevel: true }),
      ).rejects.toMatchObject({ status: 400 });
    });

    it('counts every reply of a burst from both instances once, with contiguous seqs (group commit)', async () => {
      const { alice, room, aliceSocket, bobSocket } = await twoPeople();
      const { message: root } = await aliceSocket.send(room.id, 'burst root');
      const batchedBefore = await batchedWrites();
      const REPLIES = 30;
      const acks = await Promise.all(
        Array.from({ length: REPLIES }, (_, i) =>
          (i % 2 ? bobSocket : aliceSocket).send(room.id, `@${alice.username} reply ${i}`, {
            threadRootId: root.id,
          }),
        ),
      );
      const seqs = acks.map((ack) => ack.message.seq).sort((a, b) => a - b);
      expect(seqs).toEqual(Array.from({ length: REPLIES }, (_, i) => root.seq + 1 + i));
      const page = await alice.client.http.history(room.id, { threadRootId: root.id, limit: 1 });
      expect(page.messages[0].threadRoot?.replyCount).toBe(REPLIES);
      const [stored] = (await alice.client.http.history(room.id, { after: root.seq - 1, limit: 1 })).messages;
      expect(stored.replyCount).toBe(REPLIES);
      // Mentions resolved in the batched inserts too, and there were batches.
      expect(acks.every((ack) => ack.message.mentions.includes(alice.id))).toBe(true);
      expect(await batchedWrites()).toBeGreaterThan(batchedBefore);
    });
  });

  describe('reactions', () => {
    it('adds, repeats and removes a reaction, broadcast to the other instance and kept in history', async () => {
      const { alice, bob, room, aliceSocket, bobSocket } = await twoPeople();
      const { message } = await aliceSocket.send(room.id, 'react to this');
      const aliceSees = new EventRecorder(aliceSocket, 'message:reactions');

      const added = await bobSocket.react(message.id, '👍');
      expect(added).toEqual({
        messageId: message.id,
        changed: true,
        reactions: [{ emoji: '👍', count: 1, userIds: [bob.id] }],
      });
      const first = await aliceSees.next((e) => e.emoji === '👍' && e.added, 'the reaction on instance one');
      expect(first).toMatchObject({
        roomId: room.id,
        messageId: message.id,
        userId: bob.id,
        reactions: added.reactions,
      });

      // A second add is a no-op: acked, not broadcast (the next event is the heart's, one version on).
      expect(await bobSocket.react(message.id, '👍')).toMatchObject({ changed: false });
      await aliceSocket.react(message.id, '❤️');
      const heart = await aliceSees.next((e) => e.emoji === '❤️', 'the heart');
      expect(heart.version).toBe(first.version + 1);
      expect(heart.reactions).toEqual([
        { emoji: '👍', count: 1, userIds: [bob.id] },
        { emoji: '❤️', count: 1, userIds: [alice.id] },
      ]);
      expect(aliceSees.events).toHaveLength(2);

      const removed = await bobSocket.unreact(message.id, '👍');
      expect(removed).toMatchObject({ changed: true, reactions: [{ emoji: '❤️', count: 1 }] });
      await aliceSees.next((e) => e.emoji === '👍' && !e.added, 'the removal');
      expect(await bobSocket.unreact(message.id, '👍')).toMatchObject({ changed: false });

      const [stored] = (await bob.client.http.history(room.id, { after: message.seq - 1, limit: 1 }))
        .messages;
      expect(stored.reactions).toEqual([{ emoji: '❤️', count: 1, userIds: [alice.id] }]);
    });

    it(`refuses a ${Limits.REACTIONS_PER_MESSAGE_MAX + 1}th distinct emoji, still counting more of one already there`, async () => {
      const { bob, room, aliceSocket, bobSocket } = await twoPeople();
      const { message } = await aliceSocket.send(room.id, 'flood me');
      const emoji = [...'😀😁😂🤣😃😄😅😆😉😊😋😎😍😘🥰😗😙😚🙂🤗🤩🤔'].slice(
        0,
        Limits.REACTIONS_PER_MESSAGE_MAX + 1,
      );
      for (const e of emoji.slice(0, -1))
        expect(await aliceSocket.react(message.id, e)).toMatchObject({ changed: true });
      const refused = await rawAck(aliceSocket, 'reaction:add', {
        messageId: message.id,
        emoji: emoji.at(-1),
      });
      expect(refused).toMatchObject({ ok: false, error: { code: ErrorCode.REACTION_LIMIT } });
      // Another user may still add one of the emoji already there.
      expect(await bobSocket.react(message.id, emoji[0])).toMatchObject({ changed: true });
      const [stored] = (await bob.client.http.history(room.id, { after: message.seq - 1, limit: 1 }))
        .messages;
      expect(stored.reactions).toHaveLength(Limits.REACTIONS_PER_MESSAGE_MAX);
      expect(stored.reactions[0]).toMatchObject({ emoji: emoji[0], count: 2 });
    });
  });

  describe('mentions and notification preferences', () => {
    it('tells a mentioned member on the other instance who has not joined the room in their socket', async () => {
      const [one, two] = apps;
      const alice = await registerUser(one.url, 'alice');
      const bob = await registerUser(two.url, 'bob');
      const carol = await registerUser(one.url, 'carol');
      const room = await alice.client.http.createRoom({ name: 'Mentions', visibility: 'public' });
      await bob.client.http.joinRoom(room.id);
      const aliceSocket = await connect(alice, one);
      await aliceSocket.join(room.id);
      // Bob is connected to the other instance but has not joined the room on this socket.
      const bobSocket = await connect(bob, two);
      const mentions = new EventRecorder(bobSocket, 'mention');
      const carolSocket = await connect(carol, two);
      const carolMentions = new EventRecorder(carolSocket, 'mention');

      const { message } = await aliceSocket.send(
        room.id,
        `hey @${bob.username.toUpperCase()}, and @${carol.username} (not here), \`@${bob.username}\``,
      );
      expect(message.mentions).toEqual([bob.id]);
      const event = await mentions.next((e) => e.messageId === message.id, 'the mention on instance two');
      expect(event).toEqual({
        roomId: room.id,
        messageId: message.id,
        seq: message.seq,
        reason: 'mention',
        message,
      });

      const bobsRoom = (await bob.client.http.myRooms()).find((r) => r.id === room.id)!;
      expect(bobsRoom).toMatchObject({ unreadMentions: 1, unreadCount: 1, notify: 'mentions' });
      await bobSocket.join(room.id);
      await bobSocket.markRead(room.id, message.seq);
      expect((await bob.client.http.myRooms()).find((r) => r.id === room.id)).toMatchObject({
        unreadMentions: 0,
      });

      // A message that mentions Bob only in an edit raises no new event but counts as a mention.
      const { message: plain } = await aliceSocket.send(room.id, 'no one yet');
      const edited = await aliceSocket.edit(plain.id, `now @${bob.username}`);
      expect(edited.message.mentions).toEqual([bob.id]);
      expect((await bob.client.http.myRooms()).find((r) => r.id === room.id)).toMatchObject({
        unreadMentions: 1,
      });

      // Carol, not a member, heard nothing: a marker to herself in a direct room arrives first.
      const direct = await alice.client.http.directRoom(carol.id);
      const { message: dm } = await aliceSocket.send(direct.id, 'psst');
      const dmEvent = await carolMentions.next((e) => e.messageId === dm.id, 'the direct message');
      expect(dmEvent).toMatchObject({ reason: 'direct', roomId: direct.id });
      expect(carolMentions.events).toHaveLength(1);
    });

    it('stores a notification preference per member and room, with defaults by kind', async () => {
      const { alice, bob, room } = await twoPeople();
      const direct = await alice.client.http.directRoom(bob.id);
      const notifyOf = async (user: TestUser, roomId: string) =>
        (await user.client.http.myRooms()).find((r) => r.id === roomId)?.notify;
      expect(await notifyOf(bob, room.id)).toBe('mentions');
      expect(await notifyOf(bob, direct.id)).toBe('all');

      expect(await bob.client.http.setNotificationPreference(room.id, 'none')).toEqual({
        roomId: room.id,
        level: 'none',
      });
      expect(await notifyOf(bob, room.id)).toBe('none');
      expect(await notifyOf(alice, room.id)).toBe('mentions');

      const outsider = await registerUser(apps[0].url, 'out');
      await expect(outsider.client.http.setNotificationPreference(room.id, 'all')).rejects.toMatchObject({
        status: 403,
      });
      await expect(outsider.client.http.setNotificationPreference(randomUUID(), 'all')).rejects.toMatchObject(
        {
          status: 404,
        },
      );
      const bad = await rawRequest(apps[1].url, 'PUT', `/api/rooms/${room.id}/notifications`, {
        token: bob.auth.accessToken,
        body: JSON.stringify({ level: 'loud' }),
      });
      expect(bad).toMatchObject({
        status: 400,
        body: { code: ErrorCode.VALIDATION, fields: { level: expect.any(Array) } },
      });
      expect(await notifyOf(bob, room.id)).toBe('none');
    });
  });

  it('documents the new fields, parameters, endpoint and events in OpenAPI and AsyncAPI', async () => {
    const openapi = (await rawRequest(apps[0].url, 'GET', '/api/docs-json')).body;
    const historyParams = openapi.paths['/api/rooms/{id}/messages'].get.parameters.map(
      (p: { name: string }) => p.name,
    );
    expect(historyParams).toEqual(expect.arrayContaining(['threadRootId', 'topLevel']));
    expect(openapi.paths['/api/rooms/{id}/notifications'].put).toBeDefined();
    const schemas = openapi.components.schemas;
    expect(Object.keys(schemas.MessageResponse.properties)).toEqual(
      expect.arrayContaining([
        'threadRootId',
        'replyCount',
        'lastReplyAt',
        'threadRoot',
        'reactions',
        'mentions',
      ]),
    );
    expect(Object.keys(schemas.MyRoomResponse.properties)).toEqual(
      expect.arrayContaining(['unreadMentions', 'notify']),
    );

    const asyncapi = (await rawRequest(apps[0].url, 'GET', '/api/asyncapi.json')).body;
    const events = Object.values(asyncapi.channels.chat.messages as Record<string, { name: string }>).map(
      (m) => m.name,
    );
    expect(events).toEqual(
      expect.arrayContaining(['reaction:add', 'reaction:remove', 'message:reactions', 'mention']),
    );
    expect(Object.keys(asyncapi.components.schemas.Message.properties)).toEqual(
      expect.arrayContaining(['threadRootId', 'threadRoot', 'reactions', 'mentions']),
    );
  });

  describe('from the attacker’s side (raw protocol)', () => {
    it('refuses reactions and replies from outsiders and banned members, and garbage, with error acks', async () => {
      const { alice, bob, room, aliceSocket } = await twoPeople();
      const mallory = await registerUser(apps[1].url, 'mallory');
      const { message } = await aliceSocket.send(room.id, 'guarded');
      const mallorySocket = await connect(mallory, apps[1]);
      const reactions = new EventRecorder(aliceSocket, 'message:reactions');

      const attempts = (socket: ChatSocket) => [
        rawAck(socket, 'reaction:add', { messageId: message.id, emoji: '💩' }),
        rawAck(socket, 'reaction:remove', { messageId: message.id, emoji: '👍' }),
        rawAck(socket, 'message:send', {
          roomId: room.id,
          body: 'sneaky reply',
          clientMsgId: randomUUID(),
          threadRootId: message.id,
        }),
      ];
      for (const ack of await Promise.all(attempts(mallorySocket))) {
        expect(ack).toMatchObject({ ok: false, error: { code: ErrorCode.FORBIDDEN } });
      }

      // Bob reacts, then is banned: his socket can neither add nor take back anything.
      const bobSocket = await connect(bob, apps[1]);
      await bobSocket.react(message.id, '👍');
      await reactions.next((e) => e.userId === bob.id, "Bob's reaction");
      await alice.client.http.banMember(room.id, bob.id);
      for (const ack of await Promise.all(attempts(bobSocket))) {
        expect(ack).toMatchObject({ ok: false, error: { code: ErrorCode.FORBIDDEN } });
      }

      const garbage: unknown[] = [
        {},
        null,
        'x',
        { messageId: message.id },
        { messageId: message.id, emoji: 'lol' },
        { messageId: message.id, emoji: '👍👍' },
        { messageId: message.id, emoji: ['👍'] },
        { messageId: message.id, emoji: '👍'.repeat(40) },
        { messageId: 'not-a-uuid', emoji: '👍' },
        { messageId: message.id, emoji: '👍', extra: 1 },
        { messageId: { $ne: null }, emoji: '👍' },
      ];
      for (const payload of garbage) {
        const ack = await rawAck(aliceSocket, 'reaction:add', payload);
        expect(ack).toMatchObject({ ok: false, error: { code: ErrorCode.VALIDATION } });
      }
      const badRoot = await rawAck(aliceSocket, 'message:send', {
        roomId: room.id,
        body: 'x',
        clientMsgId: randomUUID(),
        threadRootId: 'root',
      });
      expect(badRoot).toMatchObject({
        ok: false,
        error: { code: ErrorCode.VALIDATION, fields: { threadRootId: expect.any(Array) } },
      });
      // A deleted message takes no reactions; its thread stays open (as in Slack), so it takes replies.
      const { message: gone } = await aliceSocket.send(room.id, 'to be deleted');
      await aliceSocket.delete(gone.id);
      const onDeleted = await rawAck(aliceSocket, 'reaction:add', { messageId: gone.id, emoji: '👍' });
      expect(onDeleted).toMatchObject({ ok: false, error: { code: ErrorCode.NOT_FOUND } });
      const replyToDeleted = await rawAck(aliceSocket, 'message:send', {
        roomId: room.id,
        body: 'still answering',
        clientMsgId: randomUUID(),
        threadRootId: gone.id,
      });
      expect(replyToDeleted).toMatchObject({ ok: true, message: { threadRootId: gone.id } });
      const unknownMessage = await rawAck(aliceSocket, 'reaction:add', {
        messageId: randomUUID(),
        emoji: '👍',
      });
      expect(unknownMessage).toMatchObject({ ok: false, error: { code: ErrorCode.NOT_FOUND } });

      // Nothing of it was stored: only Bob's reaction from before the ban.
      const [stored] = (await alice.client.http.history(room.id, { after: message.seq - 1, limit: 1 }))
        .messages;
      expect(stored.reactions).toEqual([{ emoji: '👍', count: 1, userIds: [bob.id] }]);
      expect(reactions.events).toHaveLength(1);
      expect(aliceSocket.connected).toBe(true);
    });
  });
});
