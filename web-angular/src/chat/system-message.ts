import type { Message, SystemMessage, UserRef } from '@chat/contracts';

import { userLabel } from '../shared/user-label';

/**
 * A system message as a sentence: "Alice (@alice) made Bob (@bob) an admin". The actor is the
 * message's sender; the target comes resolved from the server (a deleted account reads as such).
 */
export function systemText(message: Message & { system: SystemMessage }, myUserId: string | null): string {
  const { system } = message;
  const who = (user: UserRef | undefined, id: string | undefined) =>
    id !== undefined && id === myUserId ? 'you' : user ? userLabel(user) : 'someone';
  const actor = message.senderId === myUserId ? 'You' : userLabel(message.sender);
  const target = who(system.target, system.targetId);
  switch (system.kind) {
    case 'room_renamed':
      return (
        `${actor} renamed the room to “${system.name}”` +
        (system.topic !== undefined ? topicPart(system.topic) : '')
      );
    case 'topic_changed':
      return system.topic ? `${actor} set the topic to “${system.topic}”` : `${actor} cleared the topic`;
    case 'member_promoted':
      return `${actor} made ${target} an admin`;
    case 'member_demoted':
      return `${actor} made ${target} a regular member`;
    case 'ownership_transferred':
      return `${actor} handed the room over to ${target}`;
    case 'member_removed':
      return `${actor} removed ${target}`;
    case 'member_banned':
      return `${actor} banned ${target}`;
    case 'room_archived':
      return `${actor} archived the room: it is read-only`;
    case 'room_unarchived':
      return `${actor} unarchived the room`;
  }
}

const topicPart = (topic: string | null | undefined) =>
  topic ? ` and set the topic to “${topic}”` : ' and cleared the topic';

export const isSystem = (message: Message): message is Message & { system: SystemMessage } =>
  message.system !== undefined;
