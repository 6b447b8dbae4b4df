import { Injectable } from '@nestjs/common';

import type { Message } from '@chat/contracts';

export type MessageEventName = 'message.created' | 'message.updated';
export type MessageHook = (event: MessageEventName, message: Message) => Promise<void>;

/**
 * Work that must be handed off before a message is acked (outgoing webhooks queue their deliveries
 * here), so the messages feature does not depend on who listens. A hook that fails fails the send:
 * the sender retries with the same clientMsgId, and a repeat runs the hooks again.
 */
@Injectable()
export class MessageHooks {
  private readonly hooks: MessageHook[] = [];

  register(hook: MessageHook): void {
    this.hooks.push(hook);
  }

  async run(event: MessageEventName, message: Message): Promise<void> {
    for (const hook of this.hooks) await hook(event, message);
  }
}
