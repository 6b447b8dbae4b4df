import type { RealtimeBroadcaster } from '../realtime/realtime-broadcaster';
import type { ReactionAggregate } from './reaction-summaries';
import type { ReactionChange, ReactionsRepository } from './reactions.repository';
import { ReactionsService } from './reactions.service';

const aggregate: ReactionAggregate = {
  message_id: 'm1',
  emoji: '👍',
  count: 1,
  user_ids: ['alice'],
  mine: true,
};

function setup(change: ReactionChange) {
  const broadcaster = { toRoom: jest.fn() };
  const repository = {
    change: jest.fn(async () => change),
    aggregates: jest.fn(async () => [aggregate]),
  };
  const service = new ReactionsService(
    repository as unknown as ReactionsRepository,
    broadcaster as unknown as RealtimeBroadcaster,
  );
  return { service, broadcaster, repository };
}

describe('ReactionsService', () => {
  it('broadcasts a change to the room with its version, and acks the reactions', async () => {
    const { service, broadcaster, repository } = setup({
      kind: 'done',
      roomId: 'r1',
      changed: true,
      version: 4,
    });
    const result = await service.change('alice', 'm1', '👍', true, null);
    expect(repository.change).toHaveBeenCalledWith('m1', 'alice', '👍', true, null);
    expect(result).toEqual({
      messageId: 'm1',
      changed: true,
      reactions: [{ emoji: '👍', count: 1, userIds: ['alice'] }],
    });
    expect(broadcaster.toRoom).toHaveBeenCalledWith('r1', 'message:reactions', {
      roomId: 'r1',
      messageId: 'm1',
      userId: 'alice',
      emoji: '👍',
      added: true,
      reactions: result.reactions,
      version: 4,
    });
  });

  it('acks a change that changed nothing without broadcasting it', async () => {
    const { service, broadcaster } = setup({ kind: 'done', roomId: 'r1', changed: false, version: 4 });
    await expect(service.change('alice', 'm1', '👍', false, null)).resolves.toMatchObject({ changed: false });
    expect(broadcaster.toRoom).not.toHaveBeenCalled();
  });

  it.each<[ReactionChange, string]>([
    [{ kind: 'noMessage' }, 'NOT_FOUND'],
    [{ kind: 'notMember', roomId: 'r1' }, 'FORBIDDEN'],
    [{ kind: 'archived', roomId: 'r1' }, 'ROOM_ARCHIVED'],
    [{ kind: 'outOfScope', roomId: 'r1' }, 'FORBIDDEN'],
    [{ kind: 'limit', roomId: 'r1' }, 'REACTION_LIMIT'],
  ])('answers %j with %s and broadcasts nothing', async (change, code) => {
    const { service, broadcaster } = setup(change);
    await expect(service.change('alice', 'm1', '👍', true, ['r1'])).rejects.toMatchObject({ code });
    expect(broadcaster.toRoom).not.toHaveBeenCalled();
  });
});
