import { DOCUMENT } from '@angular/common';
import { DestroyRef, Injectable, inject, signal } from '@angular/core';

import { RoomBot, Webhook, WebhookEvent } from '@chat/contracts';

import { ActionState } from '../shared/action-state';
import { ChatApi } from '../shared/chat-api';
import { errorText } from '../shared/error-text';
import { DeliverySummary, summarizeDeliveries } from './delivery-summaries';

/** Deliveries happen in the background: the log is re-read this often while the panel is open. */
const DELIVERIES_REFRESH_MS = 3_000;

/** A secret the server returns only once (an API key, an incoming URL, a webhook's signing secret). */
export interface ShownSecret {
  title: string;
  value: string;
}

/**
 * A room's integrations, for its owner: bots with their keys and incoming-webhook URLs, outgoing
 * webhooks with their recent deliveries. Secrets live only in `secret`, until the owner dismisses them.
 * Provided per Integrations page.
 */
@Injectable()
export class IntegrationsStore {
  private readonly api = inject(ChatApi);
  private readonly origin = inject(DOCUMENT).location.origin;
  private roomIdValue: string | null = null;

  readonly bots = signal<RoomBot[]>([]);
  readonly webhooks = signal<Webhook[]>([]);
  readonly deliveries = signal<ReadonlyMap<string, DeliverySummary[]>>(new Map());
  readonly loaded = signal(false);
  readonly loadError = signal<string | null>(null);
  readonly secret = signal<ShownSecret | null>(null);
  /** The action running, keyed by what it acts on (a bot, key or webhook id, or a form name). */
  readonly action = new ActionState<string>();

  constructor() {
    const timer = setInterval(() => {
      if (this.loaded()) void this.refreshWebhooks().catch(() => undefined);
    }, DELIVERIES_REFRESH_MS);
    inject(DestroyRef).onDestroy(() => clearInterval(timer));
  }

  async open(roomId: string): Promise<void> {
    this.roomIdValue = roomId;
    this.loaded.set(false);
    this.loadError.set(null);
    this.secret.set(null);
    try {
      await Promise.all([this.refreshBots(), this.refreshWebhooks()]);
      if (this.roomIdValue === roomId) this.loaded.set(true);
    } catch (error) {
      if (this.roomIdValue === roomId) this.loadError.set(errorText(error));
    }
  }

  createBot(username: string, displayName: string): Promise<boolean> {
    return this.action.run(async () => {
      const { bot, apiKey } = await this.api.http.createBot(this.roomId, {
        username,
        displayName: displayName || undefined,
      });
      this.secret.set({ title: `API key for @${bot.username}`, value: apiKey.key! });
      await this.refreshBots();
    }, 'new-bot');
  }

  createKey(botId: string): Promise<boolean> {
    return this.action.run(async () => {
      const key = await this.api.http.createBotKey(botId, [this.roomId]);
      this.secret.set({ title: `New API key for @${this.usernameOf(botId)}`, value: key.key! });
      await this.refreshBots();
    }, botId);
  }

  revokeKey(botId: string, keyId: string): Promise<boolean> {
    return this.action.run(async () => {
      await this.api.http.revokeBotKey(botId, keyId);
      await this.refreshBots();
    }, keyId);
  }

  /** A new incoming-webhook URL, or (given the current one) a replacement that revokes it. */
  incomingUrl(botId: string, replacingKeyId?: string): Promise<boolean> {
    return this.action.run(async () => {
      const hook = replacingKeyId
        ? await this.api.http.rotateIncomingWebhook(botId, replacingKeyId)
        : await this.api.http.createIncomingWebhook(botId, this.roomId);
      this.secret.set({
        title: `Incoming webhook URL for @${this.usernameOf(botId)}`,
        value: `${this.origin}${hook.path}`,
      });
      await this.refreshBots();
    }, replacingKeyId ?? botId);
  }

  addWebhook(url: string, events: WebhookEvent[]): Promise<boolean> {
    return this.action.run(async () => {
      const webhook = await this.api.http.createWebhook(this.roomId, url, events);
      this.secret.set({ title: `Signing secret for ${webhook.url}`, value: webhook.secret! });
      await this.refreshWebhooks();
    }, 'new-webhook');
  }

  removeWebhook(webhookId: string): Promise<boolean> {
    return this.action.run(async () => {
      await this.api.http.deleteWebhook(this.roomId, webhookId);
      await this.refreshWebhooks();
    }, webhookId);
  }

  enableWebhook(webhookId: string): Promise<boolean> {
    return this.action.run(async () => {
      await this.api.http.enableWebhook(this.roomId, webhookId);
      await this.refreshWebhooks();
    }, webhookId);
  }

  private get roomId(): string {
    if (!this.roomIdValue) throw new Error('IntegrationsStore.open() was not called');
    return this.roomIdValue;
  }

  private usernameOf(botId: string): string {
    return this.bots().find((entry) => entry.bot.id === botId)?.bot.username ?? 'bot';
  }

  private async refreshBots(): Promise<void> {
    const roomId = this.roomId;
    const bots = await this.api.http.roomBots(roomId);
    if (roomId === this.roomIdValue) this.bots.set(bots);
  }

  private async refreshWebhooks(): Promise<void> {
    const roomId = this.roomId;
    const webhooks = await this.api.http.webhooks(roomId);
    const logs = await Promise.all(
      webhooks.map(async (webhook) => {
        const attempts = await this.api.http.webhookDeliveries(roomId, webhook.id);
        return [webhook.id, summarizeDeliveries(attempts)] as const;
      }),
    );
    if (roomId !== this.roomIdValue) return;
    this.webhooks.set(webhooks);
    this.deliveries.set(new Map(logs));
  }
}
