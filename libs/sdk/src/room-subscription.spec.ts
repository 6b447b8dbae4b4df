import { MessagePage, RoomJoinResult } from '@chat/contracts';

import { ChatApiError, ChatError, ChatSocketError } from './errors';
import { RoomSubscription } from './room-subscription';
import { messageAt, pageOf } from './testing/messages';

const ROOM = 'room-1';
const joined = (lastSeq: number): RoomJoinResult => ({
  room: { id: ROOM } as RoomJoinResult['room'],
  lastSeq,
  onlineMemberIds: [],
});
const refused = (code: 'FORBIDDEN' | 'UNAVAILABLE') => new ChatSocketError({ code, message: code });

function setup(gapGraceMs = 0) {
  const join = jest.fn<Promise<RoomJoinResult>, []>();
  const fetchAfter = jest.fn<Promise<MessagePage>, [number]>();
  const delivered: number[] = [];
  const reported: string[] = [];
  const ended = jest.fn();
  const room = new RoomSubscription({
    roomId: ROOM,
    gapGraceMs,
    join,
    fetchAfter,
    deliver: (message) => delivered.push(message.seq),
    report: (error) => reported.push(error.code),
    isOffline: () => false,
    ended,
    asChatError: (error) => error as ChatError,
  });
  return { room, join, fetchAfter, delivered, reported, ended };
}

describe('RoomSubscription', () => {
  afterEach(() => jest.useRealTimers());

  it('coalesces catch-ups while one fill runs: one failure report, one retry', async () => {
    jest.useFakeTimers();
    const { room, join, fetchAfter, delivered, reported } = setup();
    join.mockResolvedValue(joined(0));
    await room.join();
    let fail!: (error: unknown) => void;
    fetchAfter
      .mockReturnValueOnce(new Promise((_resolve, reject) => (fail = reject)))
      .mockResolvedValueOnce(pageOf([1, 2, 3]));

    room.accept(messageAt(2));
    room.accept(messageAt(3));
    fail(new ChatApiError(0, { code: 'UNAVAILABLE', message: 'offline' }));
    await jest.advanceTimersByTimeAsync(0);
    expect(reported).toEqual(['UNAVAILABLE']);
    expect(fetchAfter).toHaveBeenCalledTimes(1);

    await jest.advanceTimersByTimeAsync(1_000);
    expect(fetchAfter).toHaveBeenCalledTimes(2);
    expect(delivered).toEqual([1, 2, 3]);
  });

  it('holds messages until the first join ack, then delivers those after its lastSeq', async () => {
    const { room, join, delivered } = setup();
    join.mockResolvedValue(joined(4));
    room.accept(messageAt(4));
    room.accept(messageAt(5));
    expect(delivered).toEqual([]);
    await room.join();
    expect(delivered).toEqual([5]);
    expect(room.lastSeq).toBe(5);
  });

  it('ends when a first join fails, unless it is kept; a kept one joins on resume', async () => {
    const plain = setup();
    plain.join.mockRejectedValue(refused('UNAVAILABLE'));
    await expect(plain.room.join()).rejects.toMatchObject({ code: 'UNAVAILABLE' });
    expect(plain.ended).toHaveBeenCalledTimes(1);

    const kept = setup();
    kept.room.kept = true;
    kept.room.sinceSeq = 1;
    kept.join.mockRejectedValueOnce(refused('UNAVAILABLE')).mockResolvedValueOnce(joined(3));
    kept.fetchAfter.mockResolvedValue(pageOf([2, 3]));
    await kept.room.resume();
    expect(kept.reported).toEqual(['UNAVAILABLE']);
    expect(kept.ended).not.toHaveBeenCalled();
    await kept.room.resume();
    await new Promise(process.nextTick);
    expect(kept.fetchAfter).toHaveBeenCalledWith(1);
    expect(kept.delivered).toEqual([2, 3]);
  });

  it('ends when the server refuses the room on resume, without reading history', async () => {
    const { room, join, fetchAfter, reported, ended } = setup();
    join.mockResolvedValueOnce(joined(0)).mockRejectedValueOnce(refused('FORBIDDEN'));
    await room.join();
    await room.resume();
    expect(reported).toEqual(['FORBIDDEN']);
    expect(ended).toHaveBeenCalledTimes(1);
    expect(fetchAfter).not.toHaveBeenCalled();
  });

  it('after a transient refusal on resume still catches up from its last seq', async () => {
    const { room, join, fetchAfter, delivered, ended } = setup();
    join.mockResolvedValueOnce(joined(0)).mockRejectedValueOnce(refused('UNAVAILABLE'));
    fetchAfter.mockResolvedValue(pageOf([1]));
    await room.join();
    await room.resume();
    await new Promise(process.nextTick);
    expect(ended).not.toHaveBeenCalled();
    expect(fetchAfter).toHaveBeenCalledWith(0);
    expect(delivered).toEqual([1]);
  });

  it('reports nothing and delivers nothing once closed, even if a fill was running', async () => {
    const { room, join, fetchAfter, delivered, reported } = setup();
    join.mockResolvedValue(joined(0));
    await room.join();
    let fail!: (error: unknown) => void;
    fetchAfter.mockReturnValueOnce(new Promise((_resolve, reject) => (fail = reject)));
    room.accept(messageAt(2));
    room.close();
    fail(new ChatApiError(0, { code: 'UNAVAILABLE', message: 'offline' }));
    await new Promise(process.nextTick);
    room.accept(messageAt(1));
    expect(reported).toEqual([]);
    expect(delivered).toEqual([]);
  });
});
