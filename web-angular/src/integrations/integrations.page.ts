import {
  ChangeDetectionStrategy,
  Component,
  computed,
  effect,
  inject,
  input,
  signal,
  untracked,
} from '@angular/core';
import { FormGroupDirective, NonNullableFormBuilder, ReactiveFormsModule, Validators } from '@angular/forms';
import { MatButtonModule } from '@angular/material/button';
import { MatCheckboxModule } from '@angular/material/checkbox';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatInputModule } from '@angular/material/input';
import { RouterLink } from '@angular/router';

import { Limits, WebhookEvent } from '@chat/contracts';

import { AuthStore } from '../auth/auth-store';
import { roomTitle } from '../rooms/room-summaries';
import { RoomsStore } from '../rooms/rooms-store';
import { fieldError } from '../shared/error-text';
import { BotCardComponent } from './bot-card.component';
import { IntegrationsStore } from './integrations.store';
import { SecretRevealComponent } from './secret-reveal.component';
import { WebhookCardComponent } from './webhook-card.component';

type Area = 'new-bot' | 'bot' | 'new-webhook' | 'webhook';

/** A room's Integrations panel, for its owner: bots, their keys and incoming URLs, outgoing webhooks. */
@Component({
  selector: 'app-integrations-page',
  imports: [
    ReactiveFormsModule,
    RouterLink,
    MatButtonModule,
    MatCheckboxModule,
    MatFormFieldModule,
    MatInputModule,
    BotCardComponent,
    SecretRevealComponent,
    WebhookCardComponent,
  ],
  providers: [IntegrationsStore],
  templateUrl: './integrations.page.html',
  styleUrl: './integrations.css',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class IntegrationsPage {
  private readonly auth = inject(AuthStore);
  private readonly rooms = inject(RoomsStore);
  protected readonly store = inject(IntegrationsStore);
  private readonly forms = inject(NonNullableFormBuilder);

  /** From the route (`rooms/:roomId/integrations`). */
  readonly roomId = input.required<string>();

  protected readonly room = computed(() => this.rooms.rooms().find((room) => room.id === this.roomId()));
  protected readonly title = computed(() => {
    const room = this.room();
    return room ? roomTitle(room) : 'Room';
  });
  /** The server refuses everyone else too; this only spares them a page of errors. */
  protected readonly isOwner = computed(() => {
    const room = this.room();
    return room?.kind === 'group' && room.ownerId === this.auth.user()?.id;
  });
  protected readonly roomsLoaded = this.rooms.loaded;
  /** Where the last action was started, so its error shows there. */
  private readonly lastArea = signal<Area | null>(null);
  protected readonly limits = Limits;

  protected readonly botForm = this.forms.group({
    username: [
      '',
      [
        Validators.required,
        Validators.minLength(Limits.USERNAME_MIN),
        Validators.maxLength(Limits.USERNAME_MAX),
        Validators.pattern(Limits.USERNAME_PATTERN),
      ],
    ],
    displayName: ['', [Validators.maxLength(Limits.DISPLAY_NAME_MAX)]],
  });
  protected readonly webhookForm = this.forms.group({
    url: ['', [Validators.required, Validators.pattern(/^https?:\/\/\S+$/)]],
    created: [true],
    updated: [true],
  });

  constructor() {
    effect(() => {
      const roomId = this.roomId();
      if (this.isOwner()) untracked(() => void this.store.open(roomId));
    });
  }

  /** A field's message from the server, for the form whose action failed last. */
  protected serverError(action: Area, field: string): string | null {
    return this.lastArea() === action ? fieldError(this.store.action.failure(), field) : null;
  }

  /** The error of the last action, shown beside the area it was started from. */
  protected actionError(action: Area): string | null {
    return this.lastArea() === action ? this.store.action.error() : null;
  }

  protected busyFor(item: string): boolean {
    return this.store.action.running() === item;
  }

  // resetForm, not reset: it also clears the submitted state, so the emptied fields are not shown as errors.
  protected async createBot(form: FormGroupDirective): Promise<void> {
    if (this.botForm.invalid) {
      this.botForm.markAllAsTouched();
      return;
    }
    const { username, displayName } = this.botForm.getRawValue();
    this.lastArea.set('new-bot');
    if (await this.store.createBot(username.trim(), displayName.trim())) form.resetForm();
  }

  protected async addWebhook(form: FormGroupDirective): Promise<void> {
    const { url, created, updated } = this.webhookForm.getRawValue();
    const events: WebhookEvent[] = [
      ...(created ? (['message.created'] as const) : []),
      ...(updated ? (['message.updated'] as const) : []),
    ];
    if (this.webhookForm.invalid || events.length === 0) {
      this.webhookForm.markAllAsTouched();
      return;
    }
    this.lastArea.set('new-webhook');
    if (await this.store.addWebhook(url.trim(), events)) form.resetForm();
  }

  protected newKey(botId: string): void {
    this.lastArea.set('bot');
    void this.store.createKey(botId);
  }

  protected revokeKey(botId: string, keyId: string): void {
    this.lastArea.set('bot');
    void this.store.revokeKey(botId, keyId);
  }

  protected incomingUrl(botId: string, replacingKeyId: string | null): void {
    this.lastArea.set('bot');
    void this.store.incomingUrl(botId, replacingKeyId ?? undefined);
  }

  protected removeWebhook(webhookId: string): void {
    this.lastArea.set('webhook');
    void this.store.removeWebhook(webhookId);
  }

  protected enableWebhook(webhookId: string): void {
    this.lastArea.set('webhook');
    void this.store.enableWebhook(webhookId);
  }
}
