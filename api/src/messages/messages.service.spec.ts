import type { AttachmentCollector } from '../attachments/attachment-collector';
import type { AttachmentsRepository } from '../attachments/attachments.repository';
import { AppError } from '../common/app-error';
import type { MessageRow } from '../database/rows';
import type { RealtimeBroadcaster } from '../realtime/realtime-broadcaster';
import type { MembershipsRepository } from '../rooms/memberships.repository';
import type { RoomsService } from '../rooms/rooms.service';
import type { MessageHooks } from './message-hooks';
import type { InsertedMessageRow, MessageWriter, StoredMessageRow, WriteResult } from './message-writer';
import type { MessagesRepository } from './messages.repository';
import { MessagesService } from './messages.service';
import type { ReactionsService } from './reactions.service';

const ROOM = 'room-1';
const alice = { id: 'alice', username: 'alice', displayName: 'Alice' };

const stored = (roomId = ROOM, seq = 1): InsertedMessageRow => ({
  id: `m${seq}`,
  room_id: roomId,
  seq,
  sender_id: alice.id,
  body: 'hello',
  client_msg_id: 'c1',
  instance_id: 'api-1',
  created_at: new Date(0),
  edited_at: null,
  deleted_at: null,
  thread_root_id: null,
  reply_count: 0,
  last_reply_at: null,
  mentions: [],
});
const storedReply = (changes: Partial<StoredMessageRow> = {}): StoredMessageRow => ({
  ...stored(),
  root_reply_count: null,
  root_last_reply_at: null,
  direct_peer_ids: null,
  ...changes,
});
const original = (roomId = ROOM): MessageRow => ({
  ...stored(roomId),
  sender_username: 'alice',
  sender_display_name: 'Alice',
});

function setup(written: WriteResult, member = true) {
  const broadcaster = { toRoom: jest.fn(), toUser: jest.fn() };
  const rooms = {
    assertMember: jest.fn(async () => {
      if (!member) throw AppError.forbidden('You are not a member of this room');
    }),
  };
  const messages = {
    editBody: jest.fn(async (): Promise<InsertedMessageRow | undefined> => undefined),
    softDelete: jest.fn(async (): Promise<InsertedMessageRow | undefined> => undefined),
    editability: jest.fn(async () => ({ sender_id: 'bob', deleted: false, system: false, member: true })),
    placeOf: jest.fn(async (): Promise<{ roomId: string; threadRootId: string | null } | undefined> => ({
      roomId: ROOM,
      threadRootId: null,
    })),
    threadSummaries: jest.fn(async () => new Map()),
    directPeersOf: jest.fn(async (): Promise<string[]> => []),
  };
  const memberships = {
    advanceReadMarker: jest.fn(async (): Promise<number | null> => null),
    readMarker: jest.fn(async () => 4),
  };
  const writer = { write: jest.fn(async () => written) };
  const service = new MessagesService(
    messages as unknown as MessagesRepository,
    memberships as unknown as MembershipsRepository,
    rooms as unknown as RoomsService,
    broadcaster as unknown as RealtimeBroadcaster,
    writer as unknown as MessageWriter,
    { run: async () => undefined } as unknown as MessageHooks,
    { ofMessages: async () => [] } as unknown as AttachmentsRepository,
    { deleteNow: async () => undefined } as unknown as AttachmentCollector,
    { of: async () => new Map() } as unknown as ReactionsService,
  );
  return { service, broadcaster, rooms, messages, memberships, writer };
}

describe('MessagesService', () => {
  describe('send', () => {
    it('refuses unusable attachments with a field error, and announces nothing', async () => {
      const { service, broadcaster } = setup({ kind: 'attachmentsUnavailable' });
      await expect(
        service.send(alice, { roomId: ROOM, body: '', clientMsgId: 'c1', attachmentIds: ['a1'] }),
      ).rejects.toMatchObject({
        code: 'VALIDATION',
        fields: { attachmentIds: [expect.any(String)] },
      });
      expect(broadcaster.toRoom).not.toHaveBeenCalled();
    });

    it('broadcasts a stored message with the sender as it is known, and acks it as new', async () => {
      const { service, broadcaster, rooms } = setup({ kind: 'stored', row: storedReply() });
      const result = await service.send(alice, { roomId: ROOM, body: 'hello', clientMsgId: 'c1' });
      expect(result).toMatchObject({ duplicate: false, message: { id: 'm1', sender: alice } });
      expect(broadcaster.toRoom).toHaveBeenCalledWith(ROOM, 'message:new', result.message);
      expect(rooms.assertMember).not.toHaveBeenCalled();
    });

    it('answers a resend with the original and announces it again, without asking the writer twice', async () => {
      const { service, broadcaster, writer } = setup({ kind: 'duplicate', original: original() });
      const result = await service.send(alice, { roomId: ROOM, body: 'hello', clientMsgId: 'c1' });
      expect(result).toMatchObject({ duplicate: true, message: { id: 'm1' } });
      expect(broadcaster.toRoom).toHaveBeenCalledWith(ROOM, 'message:new', result.message);
      expect(writer.write).toHaveBeenCalledTimes(1);
    });

    it('announces a resend only for a current member', async () => {
      const { service, broadcaster } = setup({ kind: 'duplicate', original: original() }, false);
      await expect(
        service.send(alice, { roomId: ROOM, body: 'hello', clientMsgId: 'c1' }),
      ).rejects.toMatchObject({ code: 'FORBIDDEN' });
      expect(broadcaster.toRoom).not.toHaveBeenCalled();
    });

    it('refuses a clientMsgId already used in another room', async () => {
      const { service, broadcaster } = setup({ kind: 'duplicate', original: original('room-2') });
      await expect(
        service.send(alice, { roomId: ROOM, body: 'hello', clientMsgId: 'c1' }),
      ).rejects.toMatchObject({ code: 'CONFLICT' });
      expect(broadcaster.toRoom).not.toHaveBeenCalled();
    });

    it('refuses a member writing to an archived room with ROOM_ARCHIVED, announcing nothing', async () => {
      const { service, broadcaster } = setup({ kind: 'archived' });
      await expect(service.send(alice, { roomId: ROOM, body: 'x', clientMsgId: 'c1' })).rejects.toMatchObject(
        { code: 'ROOM_ARCHIVED' },
      );
      expect(broadcaster.toRoom).not.toHaveBeenCalled();
    });

    it('tells a non-member (FORBIDDEN) from an unknown room (NOT_FOUND)', async () => {
      await expect(
        setup({ kind: 'notMember', roomExists: true }).service.send(alice, {
          roomId: ROOM,
          body: 'x',
          clientMsgId: 'c1',
        }),
      ).rejects.toMatchObject({ code: 'FORBIDDEN' });
      await expect(
        setup({ kind: 'notMember', roomExists: false }).service.send(alice, {
          roomId: ROOM,
          body: 'x',
          clientMsgId: 'c1',
        }),
      ).rejects.toMatchObject({ code: 'NOT_FOUND' });
    });
  });

  describe('threads', () => {
    const reply = { roomId: ROOM, body: 're', clientMsgId: 'c2', threadRootId: 'root' };

    it("puts the root's new counters on the reply's message:new", async () => {
      const row = storedReply({
        thread_root_id: 'root',
        root_reply_count: 3,
        root_last_reply_at: new Date(5),
      });
      const { service, broadcaster, writer } = setup({ kind: 'stored', row });
      const { message } = await service.send(alice, reply);
      expect(writer.write).toHaveBeenCalledWith(expect.objectContaining({ threadRootId: 'root' }));
      expect(message).toMatchObject({
        threadRootId: 'root',
        threadRoot: { replyCount: 3, lastReplyAt: new Date(5).toISOString() },
      });
      expect(broadcaster.toRoom).toHaveBeenCalledWith(ROOM, 'message:new', message);
      expect(broadcaster.toRoom).toHaveBeenCalledTimes(1);
    });

    it.each([
      ['a reply', { roomId: ROOM, threadRootId: 'other-root' }],
      ['a message of another room', { roomId: 'room-2', threadRootId: null }],
      ['no message', undefined],
    ])('refuses %s as a root with INVALID_THREAD_ROOT, storing nothing', async (_, place) => {
      const { service, messages, writer } = setup({ kind: 'stored', row: storedReply() });
      messages.placeOf.mockResolvedValueOnce(place);
      await expect(service.send(alice, reply)).rejects.toMatchObject({ code: 'INVALID_THREAD_ROOT' });
      expect(writer.write).not.toHaveBeenCalled();
    });

    it('tells a non-member FORBIDDEN before anything about the root', async () => {
      const { service, messages } = setup({ kind: 'stored', row: storedReply() }, false);
      messages.placeOf.mockResolvedValueOnce(undefined);
      await expect(service.send(alice, reply)).rejects.toMatchObject({ code: 'FORBIDDEN' });
    });
  });

  describe('mentions', () => {
    it('sends mention to each mentioned member but the sender, and direct to the peer of a direct room', async () => {
      const row = storedReply({ mentions: ['bob', 'alice', 'carol'], direct_peer_ids: ['bob', 'dan'] });
      const { service, broadcaster, writer } = setup({ kind: 'stored', row });
      const { message } = await service.send(alice, {
        roomId: ROOM,
        body: '@bob @Alice @carol',
        clientMsgId: 'c1',
      });
      expect(writer.write).toHaveBeenCalledWith(
        expect.objectContaining({ mentionedUsernames: ['bob', 'alice', 'carol'] }),
      );
      const sent = broadcaster.toUser.mock.calls.map(([userId, event, payload]) => [
        userId,
        event,
        payload.reason,
      ]);
      expect(sent).toEqual([
        ['bob', 'mention', 'mention'],
        ['carol', 'mention', 'mention'],
        ['dan', 'mention', 'direct'],
      ]);
      expect(broadcaster.toUser.mock.calls[0][2]).toEqual({
        roomId: ROOM,
        messageId: message.id,
        seq: message.seq,
        reason: 'mention',
        message,
      });
    });
  });

  describe('edit', () => {
    it("refuses someone else's message, and a sender who is no longer a member", async () => {
      const { service, messages } = setup({ kind: 'notMember', roomExists: true });
      await expect(service.edit(alice, 'm1', 'x')).rejects.toThrow('Only the sender');
      const own = { sender_id: 'alice', deleted: false, system: false, member: true };
      messages.editability.mockResolvedValueOnce({ ...own, member: false });
      await expect(service.edit(alice, 'm1', 'x')).rejects.toThrow('not a member');
      messages.editability.mockResolvedValueOnce({ ...own, deleted: true });
      await expect(service.edit(alice, 'm1', 'x')).rejects.toMatchObject({ code: 'NOT_FOUND' });
    });

    it('refuses changing a system message, and any message of an archived room', async () => {
      const { service, messages } = setup({ kind: 'notMember', roomExists: true });
      const own = { sender_id: 'alice', deleted: false, system: false, member: true };
      messages.editability.mockResolvedValueOnce({ ...own, system: true });
      await expect(service.edit(alice, 'm1', 'x')).rejects.toMatchObject({ code: 'FORBIDDEN' });
      messages.editability.mockResolvedValueOnce(own);
      await expect(service.delete(alice, 'm1')).rejects.toMatchObject({ code: 'ROOM_ARCHIVED' });
    });
  });

  describe('markRead', () => {
    it('announces a marker that moved, and answers the current one otherwise', async () => {
      const { service, broadcaster, memberships } = setup({ kind: 'notMember', roomExists: true });
      memberships.advanceReadMarker.mockResolvedValueOnce(7);
      await expect(service.markRead('alice', ROOM, 9)).resolves.toEqual({ lastReadSeq: 7 });
      expect(broadcaster.toRoom).toHaveBeenCalledWith(ROOM, 'receipt', {
        roomId: ROOM,
        userId: 'alice',
        seq: 7,
      });
      await expect(service.markRead('alice', ROOM, 2)).resolves.toEqual({ lastReadSeq: 4 });
      expect(broadcaster.toRoom).toHaveBeenCalledTimes(1);
    });
  });
});
