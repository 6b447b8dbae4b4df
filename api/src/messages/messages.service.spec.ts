import type { AttachmentCollector } from '../attachments/attachment-collector';
import type { AttachmentsRepository } from '../attachments/attachments.repository';
import { AppError } from '../common/app-error';
import type { MessageRow } from '../database/rows';
import type { RealtimeBroadcaster } from '../realtime/realtime-broadcaster';
import type { MembershipsRepository } from '../rooms/memberships.repository';
import type { RoomsService } from '../rooms/rooms.service';
import type { MessageHooks } from './message-hooks';
import type { InsertedMessageRow, MessageWriter, WriteResult } from './message-writer';
import type { MessagesRepository } from './messages.repository';
import { MessagesService } from './messages.service';

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
});
const original = (roomId = ROOM): MessageRow => ({
  ...stored(roomId),
  sender_username: 'alice',
  sender_display_name: 'Alice',
});

function setup(written: WriteResult, member = true) {
  const broadcaster = { toRoom: jest.fn() };
  const rooms = {
    assertMember: jest.fn(async () => {
      if (!member) throw AppError.forbidden('You are not a member of this room');
    }),
  };
  const messages = {
    editBody: jest.fn(async (): Promise<InsertedMessageRow | undefined> => undefined),
    findEntity: jest.fn(async () => ({ id: 'm1', senderId: 'bob', deletedAt: null })),
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
  );
  return { service, broadcaster, rooms, messages, memberships, writer };
}

describe('MessagesService', () => {
  describe('send', () => {
    it('refuses unusable attachments with a field error, and announces nothing', async () => {
      const { service, broadcaster } = setup({ kind: 'attachmentsUnavailable' });
      await expect(service.send(alice, ROOM, '', 'c1', { attachmentIds: ['a1'] })).rejects.toMatchObject({
        code: 'VALIDATION',
        fields: { attachmentIds: [expect.any(String)] },
      });
      expect(broadcaster.toRoom).not.toHaveBeenCalled();
    });

    it('broadcasts a stored message with the sender as it is known, and acks it as new', async () => {
      const { service, broadcaster, rooms } = setup({ kind: 'stored', row: stored(), attachments: [] });
      const result = await service.send(alice, ROOM, 'hello', 'c1');
      expect(result).toMatchObject({ duplicate: false, message: { id: 'm1', sender: alice } });
      expect(broadcaster.toRoom).toHaveBeenCalledWith(ROOM, 'message:new', result.message);
      expect(rooms.assertMember).not.toHaveBeenCalled();
    });

    it('answers a resend with the original and announces it again, without asking the writer twice', async () => {
      const { service, broadcaster, writer } = setup({ kind: 'duplicate', original: original() });
      const result = await service.send(alice, ROOM, 'hello', 'c1');
      expect(result).toMatchObject({ duplicate: true, message: { id: 'm1' } });
      expect(broadcaster.toRoom).toHaveBeenCalledWith(ROOM, 'message:new', result.message);
      expect(writer.write).toHaveBeenCalledTimes(1);
    });

    it('announces a resend only for a current member', async () => {
      const { service, broadcaster } = setup({ kind: 'duplicate', original: original() }, false);
      await expect(service.send(alice, ROOM, 'hello', 'c1')).rejects.toMatchObject({ code: 'FORBIDDEN' });
      expect(broadcaster.toRoom).not.toHaveBeenCalled();
    });

    it('refuses a clientMsgId already used in another room', async () => {
      const { service, broadcaster } = setup({ kind: 'duplicate', original: original('room-2') });
      await expect(service.send(alice, ROOM, 'hello', 'c1')).rejects.toMatchObject({ code: 'CONFLICT' });
      expect(broadcaster.toRoom).not.toHaveBeenCalled();
    });

    it('tells a non-member (FORBIDDEN) from an unknown room (NOT_FOUND)', async () => {
      await expect(
        setup({ kind: 'notMember', roomExists: true }).service.send(alice, ROOM, 'x', 'c1'),
      ).rejects.toMatchObject({ code: 'FORBIDDEN' });
      await expect(
        setup({ kind: 'notMember', roomExists: false }).service.send(alice, ROOM, 'x', 'c1'),
      ).rejects.toMatchObject({ code: 'NOT_FOUND' });
    });
  });

  describe('edit', () => {
    it("refuses someone else's message, and a sender who is no longer a member", async () => {
      const { service, messages } = setup({ kind: 'notMember', roomExists: true });
      await expect(service.edit(alice, 'm1', 'x')).rejects.toThrow('Only the sender');
      messages.findEntity.mockResolvedValueOnce({ id: 'm1', senderId: 'alice', deletedAt: null });
      await expect(service.edit(alice, 'm1', 'x')).rejects.toThrow('not a member');
      messages.findEntity.mockResolvedValueOnce({
        id: 'm1',
        senderId: 'alice',
        deletedAt: new Date(),
      } as never);
      await expect(service.edit(alice, 'm1', 'x')).rejects.toMatchObject({ code: 'NOT_FOUND' });
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
