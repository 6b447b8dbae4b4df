import { ErrorCode, HistoryQuery, MessagePage, MessageSendPayload, MessageSendResult } from '@chat/contracts';

import { ChatSocket, ConnectionState } from './chat-socket';
import { ChatApiError, ChatSocketError } from './errors';
import { FakeSocket } from './testing/fake-socket';
import { messageAt, pageOf } from './testing/messages';

const ROOM = 'room-1';

function setup() {
  const fake = new FakeSocket();
  const history = jest.fn<Promise<MessagePage>, [string, HistoryQuery]>();
  const http = { token: 'token-1' as string | null, history };
  const factory = jest.fn(() => fake.asSocket());
  const socket = new ChatSocket({ baseUrl: 'http://chat.test/app', http, socketFactory: factory });
  const received: number[] = [];
  socket.on('message:new', (message) => received.push(message.seq));
  return { fake, history, http, factory, socket, received };
}

async function connected() {
  const context = setup();
  const session = context.socket.connect();
  context.fake.acceptHandshake();
  await session;
  return context;
}

const sendOk = (seq: number, duplicate = false): { ok: true } & MessageSendResult => ({
  ok: true,
  message: messageAt(seq),
  duplicate,
});
const ackError = (code: ErrorCode, retryAfter?: number) => ({
  ok: false as const,
  error: { code, message: `refused: ${code}`, ...(retryAfter !== undefined && { retryAfter }) },
});
const joinOk = (lastSeq: number) => ({ ok: true as const, room: { id: ROOM }, lastSeq, onlineMemberIds: [] });
const sentIds = (fake: FakeSocket) =>
  fake.emitsOf('message:send').map((payload) => (payload as MessageSendPayload).clientMsgId);

describe('ChatSocket', () => {
  afterEach(() => jest.useRealTimers());

  describe('connection', () => {
    it('connects to the origin with the token in auth only, and resolves with the session', async () => {
      const { fake, factory, socket, http } = setup();
      const states: ConnectionState[] = [];
      socket.onState((state) => states.push(state));

      const session = socket.connect();
      fake.acceptHandshake({ userId: 'user-1', instanceId: 'api-7' });

      await expect(session).resolves.toEqual({ userId: 'user-1', instanceId: 'api-7' });
      expect(socket.instanceId).toBe('api-7');
      expect(states).toEqual(['connecting', 'online']);
      const [uri, options] = factory.mock.calls[0] as unknown as [string, Record<string, unknown>];
      expect(uri).toBe('http://chat.test');
      expect(options).toMatchObject({ path: '/socket.io', autoConnect: false });
      expect(options).not.toHaveProperty('query');
      http.token = 'token-2';
      const auth = options.auth as (send: (data: object) => void) => void;
      const sent: object[] = [];
      auth((data) => sent.push(data));
      expect(sent).toEqual([{ token: 'token-2' }]);
    });

    it('rejects with the code the gateway refused the handshake with', async () => {
      const { fake, socket } = setup();
      const session = socket.connect();
      fake.active = false;
      fake.fire(
        'connect_error',
        Object.assign(new Error('UNAUTHORIZED'), { data: { code: 'UNAUTHORIZED', message: 'Bad token' } }),
      );
      await expect(session).rejects.toMatchObject({ code: 'UNAUTHORIZED', message: 'Bad token' });
      await expect(session).rejects.toBeInstanceOf(ChatSocketError);
      expect(socket.state).toBe('offline');
    });

    it('reports a refusal during an automatic reconnect (e.g. the token expired meanwhile) through onError', async () => {
      const { fake, socket } = await connected();
      const errors: string[] = [];
      socket.onError((error) => errors.push(error.code));
      fake.drop();
      // A network failure while reconnecting is not news: socket.io keeps trying.
      fake.fire('connect_error', new Error('xhr poll error'));
      expect(errors).toEqual([]);
      fake.active = false;
      fake.fire(
        'connect_error',
        Object.assign(new Error('UNAUTHORIZED'), {
          data: { code: 'UNAUTHORIZED', message: 'Token expired' },
        }),
      );
      expect(errors).toEqual(['UNAUTHORIZED']);
      expect(socket.state).toBe('offline');
    });
  });

  describe('request', () => {
    it('resolves with the ack without its ok flag, and throws the ack error as ChatSocketError', async () => {
      const { fake, socket } = await connected();
      fake.answers.push(
        { ok: true, lastReadSeq: 4 },
        { ok: false, error: { code: 'VALIDATION', message: 'bad', fields: { seq: ['min'] } } },
      );
      await expect(socket.markRead(ROOM, 4)).resolves.toEqual({ lastReadSeq: 4 });
      const error = await socket.markRead(ROOM, -1).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ChatSocketError);
      expect(error).toMatchObject({ code: 'VALIDATION', fields: { seq: ['min'] } });
    });

    it('maps a missing ack to TIMEOUT, and refuses to emit while disconnected', async () => {
      const { fake, socket } = await connected();
      fake.answers.push('timeout');
      await expect(socket.edit('m1', 'x')).rejects.toMatchObject({ code: 'TIMEOUT' });
      fake.drop();
      await expect(socket.edit('m1', 'x')).rejects.toMatchObject({ code: 'DISCONNECTED' });
      expect(fake.emitsOf('message:edit')).toHaveLength(1);
    });
  });

  describe('reactions, threads and mentions', () => {
    it('adds and removes reactions through their events, and sends a reply with its threadRootId', async () => {
      const { fake, socket } = await connected();
      const reactions = [{ emoji: '👍', count: 1, userIds: ['user-1'] }];
      fake.answers.push(
        { ok: true, messageId: 'm1', changed: true, reactions },
        { ok: true, messageId: 'm1', changed: false, reactions: [] },
        sendOk(2),
      );
      await expect(socket.react('m1', '👍')).resolves.toEqual({ messageId: 'm1', changed: true, reactions });
      await expect(socket.unreact('m1', '👍')).resolves.toMatchObject({ changed: false });
      await socket.send(ROOM, 'a reply', { threadRootId: 'm1' });
      expect(fake.emitsOf('reaction:add')).toEqual([{ messageId: 'm1', emoji: '👍' }]);
      expect(fake.emitsOf('reaction:remove')).toEqual([{ messageId: 'm1', emoji: '👍' }]);
      expect(fake.emitsOf('message:send')[0]).toMatchObject({
        roomId: ROOM,
        body: 'a reply',
        threadRootId: 'm1',
      });
    });

    it('passes mention and message:reactions events through, for rooms it has not joined too', async () => {
      const { fake, socket } = await connected();
      const mentions: string[] = [];
      const versions: number[] = [];
      socket.on('mention', (event) => mentions.push(event.messageId));
      socket.on('message:reactions', (event) => versions.push(event.version));
      const message = messageAt(4, 'elsewhere');
      fake.fire('mention', {
        roomId: 'elsewhere',
        messageId: message.id,
        seq: 4,
        reason: 'mention',
        message,
      });
      fake.fire('message:reactions', {
        roomId: ROOM,
        messageId: 'm1',
        userId: 'user-2',
        emoji: '👍',
        added: true,
        reactions: [],
        version: 7,
      });
      expect(mentions).toEqual([message.id]);
      expect(versions).toEqual([7]);
    });
  });

  describe('send', () => {
    it('retries transient failures with the same clientMsgId, backing off 100 ms then 200 ms', async () => {
      jest.useFakeTimers();
      const { fake, socket } = await connected();
      fake.answers.push('timeout', ackError('UNAVAILABLE'), sendOk(1));

      const sent = socket.send(ROOM, 'hello');
      await jest.advanceTimersByTimeAsync(99);
      expect(fake.emitsOf('message:send')).toHaveLength(1);
      await jest.advanceTimersByTimeAsync(1);
      expect(fake.emitsOf('message:send')).toHaveLength(2);
      await jest.advanceTimersByTimeAsync(199);
      expect(fake.emitsOf('message:send')).toHaveLength(2);
      await jest.advanceTimersByTimeAsync(1);

      await expect(sent).resolves.toEqual({ message: messageAt(1), duplicate: false });
      const ids = sentIds(fake);
      expect(ids).toHaveLength(3);
      expect(new Set(ids).size).toBe(1);
      expect(ids[0]).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
      expect(fake.emitsOf('message:send')[0]).toEqual({ roomId: ROOM, body: 'hello', clientMsgId: ids[0] });
    });

    it('uses the clientMsgId it is given', async () => {
      const { fake, socket } = await connected();
      fake.answers.push(sendOk(1, true));
      await expect(socket.send(ROOM, 'again', { clientMsgId: 'mine-1' })).resolves.toMatchObject({
        duplicate: true,
      });
      expect(sentIds(fake)).toEqual(['mine-1']);
    });

    it.each(['VALIDATION', 'FORBIDDEN', 'NOT_FOUND', 'CONFLICT', 'ROOM_FULL', 'UNAUTHORIZED'] as const)(
      'does not retry %s',
      async (code) => {
        const { fake, socket } = await connected();
        fake.answer = () => ackError(code);
        await expect(socket.send(ROOM, 'no')).rejects.toMatchObject({ code });
        expect(fake.emitsOf('message:send')).toHaveLength(1);
      },
    );

    it('gives up after the configured retries with the last failure', async () => {
      jest.useFakeTimers();
      const { fake, socket } = await connected();
      fake.answer = () => 'timeout';
      const sent = socket.send(ROOM, 'lost', { retries: 2 });
      const outcome = sent.catch((e: unknown) => e);
      await jest.advanceTimersByTimeAsync(10_000);
      expect(await outcome).toMatchObject({ code: 'TIMEOUT' });
      expect(sentIds(fake)).toHaveLength(3);
    });

    it('waits retryAfter seconds when rate limited, and counts it as a retry', async () => {
      jest.useFakeTimers();
      const { fake, socket } = await connected();
      fake.answers.push(ackError('RATE_LIMITED', 3), sendOk(1));
      const sent = socket.send(ROOM, 'slow down', { retries: 1 });
      await jest.advanceTimersByTimeAsync(2_999);
      expect(sentIds(fake)).toHaveLength(1);
      await jest.advanceTimersByTimeAsync(1);
      await expect(sent).resolves.toMatchObject({ message: { seq: 1 } });
      expect(sentIds(fake)).toHaveLength(2);
    });

    it('does not emit while disconnected: it waits for the reconnect, then sends', async () => {
      jest.useFakeTimers();
      const { fake, socket } = await connected();
      fake.drop();
      fake.answer = (event) => (event === 'message:send' ? sendOk(1) : joinOk(0));
      const sent = socket.send(ROOM, 'later');
      await jest.advanceTimersByTimeAsync(1_000);
      expect(sentIds(fake)).toHaveLength(0);
      fake.acceptHandshake();
      await expect(sent).resolves.toMatchObject({ message: { seq: 1 } });
      expect(sentIds(fake)).toHaveLength(1);
    });

    it('re-sends the same clientMsgId when the connection drops before the ack', async () => {
      jest.useFakeTimers();
      const { fake, socket } = await connected();
      fake.answers.push('disconnect');
      fake.answer = () => sendOk(1, true);
      const sent = socket.send(ROOM, 'in flight');
      await jest.advanceTimersByTimeAsync(0);
      fake.drop();
      await jest.advanceTimersByTimeAsync(500);
      fake.acceptHandshake();
      await jest.advanceTimersByTimeAsync(500);
      await expect(sent).resolves.toMatchObject({ duplicate: true });
      const ids = sentIds(fake);
      expect(ids).toHaveLength(2);
      expect(ids[1]).toBe(ids[0]);
    });

    it('fails at once with DISCONNECTED when the socket was closed by the client', async () => {
      const { fake, socket } = await connected();
      socket.disconnect();
      await expect(socket.send(ROOM, 'nobody home')).rejects.toMatchObject({ code: 'DISCONNECTED' });
      expect(sentIds(fake)).toHaveLength(0);
    });
  });

  describe('message:new delivery', () => {
    it('delivers a joined room once and in order, waiting out a reordering without asking history', async () => {
      jest.useFakeTimers();
      const { fake, socket, history, received } = await connected();
      fake.answers.push(joinOk(2));
      await socket.join(ROOM);

      fake.fire('message:new', messageAt(3));
      fake.fire('message:new', messageAt(3));
      fake.fire('message:new', messageAt(5));
      await jest.advanceTimersByTimeAsync(500);
      fake.fire('message:new', messageAt(4));
      await jest.advanceTimersByTimeAsync(2_000);

      expect(history).not.toHaveBeenCalled();
      expect(received).toEqual([3, 4, 5]);
      expect(socket.lastSeqOf(ROOM)).toBe(5);
    });

    it('fills a gap from history once it has stayed open for the grace period', async () => {
      jest.useFakeTimers();
      const { fake, socket, history, received } = await connected();
      fake.answers.push(joinOk(2));
      await socket.join(ROOM);
      history.mockResolvedValueOnce(pageOf([3, 4, 5]));

      fake.fire('message:new', messageAt(3));
      fake.fire('message:new', messageAt(5));
      await jest.advanceTimersByTimeAsync(999);
      expect(history).not.toHaveBeenCalled();
      expect(received).toEqual([3]);
      await jest.advanceTimersByTimeAsync(1);

      expect(history).toHaveBeenCalledWith(ROOM, { after: 3, limit: 200 });
      expect(received).toEqual([3, 4, 5]);
    });

    it('starts from sinceSeq when asked, catching up what came before the join', async () => {
      const { fake, socket, history, received } = await connected();
      fake.answers.push(joinOk(4));
      history.mockResolvedValueOnce(pageOf([2, 3, 4]));
      await socket.join(ROOM, { sinceSeq: 1 });
      await new Promise(process.nextTick);
      expect(history).toHaveBeenCalledWith(ROOM, { after: 1, limit: 200 });
      expect(received).toEqual([2, 3, 4]);
    });

    it('after a reconnect re-joins each room and catches up from the last delivered seq', async () => {
      const { fake, socket, history, received } = await connected();
      fake.answers.push(joinOk(1));
      await socket.join(ROOM);
      fake.fire('message:new', messageAt(2));
      fake.drop();
      fake.answers.push(joinOk(4));
      history.mockResolvedValueOnce(pageOf([3, 4]));

      fake.acceptHandshake();
      await new Promise(process.nextTick);

      expect(fake.emitsOf('room:join')).toEqual([{ roomId: ROOM }, { roomId: ROOM }]);
      expect(history).toHaveBeenCalledWith(ROOM, { after: 2, limit: 200 });
      expect(received).toEqual([2, 3, 4]);
      // A recovered connection replays what the catch-up already delivered: still once.
      fake.fire('message:new', messageAt(4));
      fake.fire('message:new', messageAt(5));
      expect(received).toEqual([2, 3, 4, 5]);
    });

    it('forgets a room the user lost access to while away', async () => {
      const { fake, socket, history } = await connected();
      fake.answers.push(joinOk(0));
      await socket.join(ROOM);
      const errors: string[] = [];
      socket.onError((error) => errors.push(error.code));
      fake.drop();
      fake.answers.push(ackError('FORBIDDEN'));
      fake.acceptHandshake();
      await new Promise(process.nextTick);
      expect(errors).toEqual(['FORBIDDEN']);
      expect(socket.joinedRooms()).toEqual([]);
      expect(history).not.toHaveBeenCalled();
    });

    it('retries a failed gap fill later and reports the failure', async () => {
      jest.useFakeTimers();
      const { fake, socket, history, received } = await connected();
      fake.answers.push(joinOk(0));
      await socket.join(ROOM);
      const errors: string[] = [];
      socket.onError((error) => errors.push(error.code));
      history
        .mockRejectedValueOnce(new ChatApiError(0, { code: 'UNAVAILABLE', message: 'offline' }))
        .mockResolvedValueOnce(pageOf([1, 2]));

      fake.fire('message:new', messageAt(2));
      await jest.advanceTimersByTimeAsync(1_000);
      expect(errors).toEqual(['UNAVAILABLE']);
      expect(received).toEqual([]);
      await jest.advanceTimersByTimeAsync(1_000);
      expect(received).toEqual([1, 2]);
    });

    it('holds messages that arrive before the join ack, then delivers those after its lastSeq', async () => {
      const { fake, socket, received } = await connected();
      let ack!: (value: object) => void;
      const pending = new Promise<object>((resolve) => (ack = resolve));
      jest.spyOn(fake, 'timeout').mockReturnValueOnce({
        emitWithAck: (event: string, payload: unknown) => {
          fake.emitted.push({ event, payload, volatile: false });
          return pending;
        },
      });

      const joined = socket.join(ROOM);
      fake.fire('message:new', messageAt(7));
      fake.fire('message:new', messageAt(8));
      ack(joinOk(7));
      await joined;
      expect(received).toEqual([8]);
    });

    it('passes messages of rooms it does not track, and message:updated, straight through', async () => {
      const { fake, socket, received } = await connected();
      const updated: number[] = [];
      socket.on('message:updated', (message) => updated.push(message.seq));
      fake.fire('message:new', messageAt(9, 'elsewhere'));
      fake.fire('message:updated', messageAt(3));
      expect(received).toEqual([9]);
      expect(updated).toEqual([3]);
    });

    it('stops delivering after unsubscribe and after leave', async () => {
      const { fake, socket, received } = await connected();
      fake.answers.push(joinOk(0), { ok: true });
      await socket.join(ROOM);
      const late: number[] = [];
      const stop = socket.on('message:new', (message) => late.push(message.seq));
      fake.fire('message:new', messageAt(1));
      stop();
      fake.fire('message:new', messageAt(2));
      await socket.leave(ROOM);
      expect(late).toEqual([1]);
      expect(received).toEqual([1, 2]);
      expect(socket.joinedRooms()).toEqual([]);
    });
  });

  describe('subscribe', () => {
    it('joins a kept room on connect from sinceSeq, and again on each connect after a transient refusal', async () => {
      const { fake, socket, history, received } = setup();
      socket.subscribe(ROOM, { sinceSeq: 1 });
      fake.answers.push(ackError('UNAVAILABLE'));
      const errors: string[] = [];
      socket.onError((error) => errors.push(error.code));
      fake.acceptHandshake();
      await new Promise(process.nextTick);
      expect(errors).toEqual(['UNAVAILABLE']);
      expect(socket.joinedRooms()).toEqual([]);

      fake.drop();
      fake.answers.push(joinOk(3));
      history.mockResolvedValueOnce(pageOf([2, 3]));
      fake.acceptHandshake();
      await new Promise(process.nextTick);
      expect(fake.emitsOf('room:join')).toEqual([{ roomId: ROOM }, { roomId: ROOM }]);
      expect(history).toHaveBeenCalledWith(ROOM, { after: 1, limit: 200 });
      expect(received).toEqual([2, 3]);
    });

    it('drops a kept room the server refuses, and joins it no more', async () => {
      const { fake, socket } = await connected();
      fake.answers.push(ackError('FORBIDDEN'));
      socket.subscribe(ROOM);
      await new Promise(process.nextTick);
      fake.drop();
      fake.acceptHandshake();
      await new Promise(process.nextTick);
      expect(fake.emitsOf('room:join')).toEqual([{ roomId: ROOM }]);
      expect(socket.joinedRooms()).toEqual([]);
    });
  });
});
