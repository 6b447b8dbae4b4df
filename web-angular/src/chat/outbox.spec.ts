import { signal } from '@angular/core';
import { TestBed } from '@angular/core/testing';

import { ChatSocketError } from '@chat/sdk';

import { AuthStore } from '../auth/auth-store';
import { ChatConnection } from '../realtime/chat-connection';
import { BROWSER_STORAGE, MemoryStorage } from '../shared/browser-storage';
import { message } from '../testing/messages';
import { Outbox } from './outbox';

type Send = ChatConnection['send'];

describe('Outbox', () => {
  let online: ReturnType<typeof signal<boolean>>;
  let send: jest.MockedFunction<Send>;
  let storage: MemoryStorage;
  let seq: number;

  function createOutbox(): Outbox {
    TestBed.configureTestingModule({
      providers: [
        { provide: ChatConnection, useValue: { online, send } },
        { provide: AuthStore, useValue: { user: signal({ id: 'alice' }) } },
        { provide: BROWSER_STORAGE, useValue: storage },
      ],
    });
    const outbox = TestBed.inject(Outbox);
    TestBed.tick();
    return outbox;
  }

  const acked: Send = async (roomId, body, clientMsgId) => ({
    message: message(++seq, { roomId, body, clientMsgId, senderId: 'alice' }),
    duplicate: false,
  });

  /** Lets the outbox's async send loop run to its next await. */
  const settle = () => new Promise((resolve) => setTimeout(resolve, 0));

  beforeEach(() => {
    online = signal(false);
    send = jest.fn<ReturnType<Send>, Parameters<Send>>(acked);
    storage = new MemoryStorage();
    seq = 0;
  });

  it('holds messages while offline and sends them in order, once, when the connection returns', async () => {
    const outbox = createOutbox();
    const delivered: string[] = [];
    outbox.delivered.subscribe((m) => delivered.push(m.body));
    const first = outbox.enqueue('room-1', 'one');
    outbox.enqueue('room-1', 'two');
    await settle();
    expect(send).not.toHaveBeenCalled();
    expect(outbox.entries().map((e) => e.status)).toEqual(['queued', 'queued']);

    online.set(true);
    TestBed.tick();
    await settle();
    await settle();

    expect(send.mock.calls.map(([, body]) => body)).toEqual(['one', 'two']);
    expect(send.mock.calls[0][2]).toBe(first.clientMsgId);
    expect(delivered).toEqual(['one', 'two']);
    expect(outbox.entries()).toEqual([]);
    expect(storage.length).toBe(0);
  });

  it('sends a thread reply with its root, in order with the room’s other messages', async () => {
    const outbox = createOutbox();
    outbox.enqueue('room-1', 'top level');
    outbox.enqueue('room-1', 'a reply', 'root-7');
    expect(outbox.entries()[1].threadRootId).toBe('root-7');
    online.set(true);
    TestBed.tick();
    await settle();
    await settle();
    expect(send.mock.calls.map(([, body, , root]) => [body, root])).toEqual([
      ['top level', undefined],
      ['a reply', 'root-7'],
    ]);
  });

  it('requeues a send cut off by a disconnect and resends it with the same clientMsgId', async () => {
    online.set(true);
    send.mockImplementationOnce(async () => {
      online.set(false);
      throw ChatSocketError.disconnected();
    });
    const outbox = createOutbox();
    const entry = outbox.enqueue('room-1', 'through the tunnel');
    await settle();
    expect(outbox.entries()).toMatchObject([{ status: 'queued' }]);

    online.set(true);
    TestBed.tick();
    await settle();
    expect(send.mock.calls.map(([, , id]) => id)).toEqual([entry.clientMsgId, entry.clientMsgId]);
    expect(outbox.entries()).toEqual([]);
  });

  it('marks a refused message failed with a reason, and sends it again on retry', async () => {
    online.set(true);
    send.mockRejectedValueOnce(
      new ChatSocketError({ code: 'FORBIDDEN', message: 'You are not a member of this room' }),
    );
    const outbox = createOutbox();
    const entry = outbox.enqueue('room-1', 'let me in');
    await settle();
    expect(outbox.entries()).toMatchObject([
      { status: 'failed', error: 'You are not a member of this room' },
    ]);

    outbox.retry(entry.clientMsgId);
    await settle();
    expect(send).toHaveBeenCalledTimes(2);
    expect(send.mock.calls[1][2]).toBe(entry.clientMsgId);
    expect(outbox.entries()).toEqual([]);
  });

  it('survives a reload: what was queued or in flight is restored and sent', async () => {
    const before = createOutbox();
    before.enqueue('room-1', 'typed before the reload');
    const stored = JSON.parse(storage.getItem('chat.outbox.alice')!);
    storage.setItem(
      'chat.outbox.alice',
      JSON.stringify([{ ...stored[0], status: 'sending' }, { junk: true }]),
    );
    TestBed.resetTestingModule();

    online.set(true);
    const after = createOutbox();
    expect(after.entries()).toHaveLength(1);
    await settle();
    expect(send).toHaveBeenCalledWith('room-1', 'typed before the reload', stored[0].clientMsgId, undefined);
    expect(after.entries()).toEqual([]);
  });
});
