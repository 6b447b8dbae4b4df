import { DatePipe } from '@angular/common';
import { ChangeDetectionStrategy, Component, computed, input, output } from '@angular/core';
import { MatButtonModule } from '@angular/material/button';

import { BotApiKey, RoomBot } from '@chat/contracts';

/** How a key is named on screen: the start of the key's non-secret part (`chatbot_<key id>_…`). */
export function keyLabel(key: BotApiKey): string {
  return `chatbot_${key.id.replaceAll('-', '').slice(0, 8)}…`;
}

/** One bot: its API keys and incoming-webhook URLs, each revocable; new ones shown once by the page. */
@Component({
  selector: 'app-bot-card',
  imports: [DatePipe, MatButtonModule],
  template: `
    <article class="card" [attr.aria-label]="'Bot ' + entry().bot.username">
      <h3 class="card__title">
        {{ entry().bot.displayName }} <span class="card__meta">&#64;{{ entry().bot.username }}</span>
        <span class="card__badge">bot</span>
      </h3>

      <h4>API keys</h4>
      <ul class="keys" aria-label="API keys">
        @for (key of apiKeys(); track key.id) {
          <li class="key" [attr.data-key]="key.id">
            <code>{{ label(key) }}</code>
            <span class="card__meta">created {{ key.createdAt | date: 'short' }}</span>
            @if (key.revokedAt) {
              <span class="key__revoked" data-testid="key-state"
                >revoked {{ key.revokedAt | date: 'short' }}</span
              >
            } @else {
              <span data-testid="key-state">active</span>
              <button
                matButton
                type="button"
                [disabled]="busy()"
                [attr.aria-label]="'Revoke key ' + label(key)"
                (click)="revoke.emit(key.id)"
              >
                Revoke
              </button>
            }
          </li>
        }
      </ul>
      <button matButton="outlined" type="button" [disabled]="busy()" (click)="newKey.emit()">
        New API key
      </button>

      <h4>Incoming webhook</h4>
      <p class="card__meta">
        A URL that posts to this room as the bot: <code>{{ '{"text": "…"}' }}</code>
      </p>
      <ul class="keys" aria-label="Incoming webhook URLs">
        @for (key of activeIncoming(); track key.id) {
          <li class="key" [attr.data-key]="key.id">
            <code>…/api/incoming/{{ label(key) }}</code>
            <span class="card__meta">created {{ key.createdAt | date: 'short' }}</span>
            <button matButton type="button" [disabled]="busy()" (click)="incomingUrl.emit(key.id)">
              Rotate URL
            </button>
            <button
              matButton
              type="button"
              [disabled]="busy()"
              [attr.aria-label]="'Revoke URL ' + label(key)"
              (click)="revoke.emit(key.id)"
            >
              Revoke
            </button>
          </li>
        } @empty {
          <li>
            <button matButton="outlined" type="button" [disabled]="busy()" (click)="incomingUrl.emit(null)">
              Create incoming webhook URL
            </button>
          </li>
        }
      </ul>
    </article>
  `,
  styleUrl: './integrations.css',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class BotCardComponent {
  readonly entry = input.required<RoomBot>();
  readonly busy = input(false);
  readonly newKey = output<void>();
  readonly revoke = output<string>();
  /** A new URL, or (with the current URL's key id) a replacement for it. */
  readonly incomingUrl = output<string | null>();

  protected readonly apiKeys = computed(() => this.entry().keys.filter((key) => key.kind === 'api'));
  protected readonly activeIncoming = computed(() =>
    this.entry().keys.filter((key) => key.kind === 'incoming' && !key.revokedAt),
  );
  protected readonly label = keyLabel;
}
