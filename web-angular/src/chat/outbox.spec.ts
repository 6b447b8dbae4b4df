import { signal } from '@angular/core';
import { TestBed } from '@angular/core/testing';

import { Attachment, MessageSendResult } from '@chat/contracts';
import { ChatApiError, ChatSocketError } from '@chat/sdk';

import { AuthStore } from '../auth/auth-store';
import { ChatConnection } from '../realtime/chat-connection';
import { BROWSER_STORAGE, MemoryStorage } from '../shared/browser-storage';
import { ChatApi } from '../shared/chat-api';
import { message } from '../testing/messages';
import { Outbox } from './outbox';

type Send = (
  roomId: string,
  body: string,
  clientMsgId: string,
  attachmentIds?: string[],
  threadRootId?: string,
) => Promise<MessageSendResult>;
type Upload = ChatApi['upload'];

describe('Outbox', () => {
  let online: ReturnType<typeof signal<boolean>>;
  let send: jest.MockedFunction<Send>;
  let upload: jest.MockedFunction<Upload>;
  let storage: MemoryStorage;
  let seq: number;

  function createOutbox(): Outbox {
    TestBed.configureTestingModule({
      providers: [
        { provide: ChatConnection, useValue: { online, send } },
        { provide: AuthStore, useValue: { user: signal({ id: 'alice' }) } },
        { provide: BROWSER_STORAGE, useValue: storage },
        { provide: ChatApi, useValue: { upload } },
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
    upload = jest.fn<ReturnType<Upload>, Parameters<Upload>>(async (_roomId, file, name) => ({
      id: 'att-1',
      name,
      size: file.size,
      contentType: 'application/octet-stream',
    }));
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
    outbox.enqueue('room-1', 'a reply', [], 'root-7');
    expect(outbox.entries()[1].threadRootId).toBe('root-7');
    online.set(true);
    TestBed.tick();
    await settle();
    await settle();
    expect(send.mock.calls.map(([, body, , , root]) => [body, root])).toEqual([
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
    expect(send).toHaveBeenCalledWith(
      'room-1',
      'typed before the reload',
      stored[0].clientMsgId,
      undefined,
      undefined,
    );
    expect(after.entries()).toEqual([]);
  });

  it('holds a message with files until they are uploaded, and the next one behind it', async () => {
    online.set(true);
    const finish: ((attachment: Attachment) => void)[] = [];
    upload.mockImplementation(
      (_roomId, _file, _name, onProgress) =>
        new Promise((resolve) => {
          onProgress(0.5);
          finish.push(resolve);
        }),
    );
    const outbox = createOutbox();
    outbox.enqueue('room-1', 'look', [new File(['png'], 'shot.png')]);
    outbox.enqueue('room-1', 'after it');
    await settle();
    expect(send).not.toHaveBeenCalled();
    expect(outbox.entries()[0].uploads).toMatchObject([{ name: 'shot.png', size: 3, progress: 0.5 }]);

    finish[0]({ id: 'att-1', name: 'shot.png', size: 3, contentType: 'image/png', width: 1, height: 1 });
    await settle();
    await settle();
    expect(send.mock.calls.map(([, body, , ids]) => [body, ids])).toEqual([
      ['look', ['att-1']],
      ['after it', undefined],
    ]);
    expect(outbox.entries()).toEqual([]);
  });

  it('fails a message whose upload is refused, with the file named, and uploads again on retry', async () => {
    online.set(true);
    upload.mockRejectedValueOnce(
      new ChatApiError(413, { code: 'PAYLOAD_TOO_LARGE', message: 'The file is larger than 10 bytes' }),
    );
    const outbox = createOutbox();
    const entry = outbox.enqueue('room-1', '', [new File(['too big'], 'big.bin')]);
    await settle();
    expect(outbox.entries()).toMatchObject([
      { status: 'failed', error: 'big.bin: The file is larger than 10 bytes' },
    ]);
    outbox.retry(entry.clientMsgId);
    await settle();
    await settle();
    expect(upload).toHaveBeenCalledTimes(2);
    expect(send.mock.calls.map(([, , , ids]) => ids)).toEqual([['att-1']]);
  });
});
