import { DatePipe } from '@angular/common';
import { ChangeDetectionStrategy, Component, input, output } from '@angular/core';
import { MatButtonModule } from '@angular/material/button';

import { Webhook } from '@chat/contracts';

import { DeliverySummary } from './delivery-summaries';

/** One outgoing webhook: where it posts, whether it is on, and how its recent deliveries went. */
@Component({
  selector: 'app-webhook-card',
  imports: [DatePipe, MatButtonModule],
  template: `
    <article class="card" [attr.aria-label]="'Webhook ' + webhook().url">
      <h3 class="card__title card__url">{{ webhook().url }}</h3>
      <p class="card__meta">
        {{ webhook().events.join(', ') }} · added {{ webhook().createdAt | date: 'short' }}
      </p>
      @if (webhook().disabledAt; as disabledAt) {
        <p class="card__warning" data-testid="webhook-state">
          Disabled {{ disabledAt | date: 'short' }} after {{ webhook().consecutiveFailures }} failed
          deliveries in a row.
          <button matButton type="button" [disabled]="busy()" (click)="enable.emit()">Enable again</button>
        </p>
      } @else {
        <p class="card__meta" data-testid="webhook-state">
          Active{{
            webhook().consecutiveFailures ? ' · ' + webhook().consecutiveFailures + ' failures in a row' : ''
          }}
        </p>
      }

      <table class="deliveries" [attr.aria-label]="'Recent deliveries to ' + webhook().url">
        <thead>
          <tr>
            <th scope="col">When</th>
            <th scope="col">Event</th>
            <th scope="col">Result</th>
            <th scope="col">HTTP status</th>
            <th scope="col">Attempts</th>
            <th scope="col">Last error</th>
          </tr>
        </thead>
        <tbody>
          @for (delivery of deliveries(); track delivery.deliveryId) {
            <tr data-testid="delivery" [attr.data-delivery]="delivery.deliveryId">
              <td>{{ delivery.lastAttemptAt | date: 'mediumTime' }}</td>
              <td>{{ delivery.event }}</td>
              <td [class.deliveries__failed]="delivery.outcome === 'failed'">{{ delivery.outcome }}</td>
              <td>{{ delivery.responseStatus ?? '—' }}</td>
              <td>{{ delivery.attempts }}</td>
              <td class="deliveries__error">{{ delivery.lastError ?? '' }}</td>
            </tr>
          } @empty {
            <tr>
              <td colspan="6" class="card__meta">No deliveries yet.</td>
            </tr>
          }
        </tbody>
      </table>
      <button
        matButton
        type="button"
        [disabled]="busy()"
        [attr.aria-label]="'Remove webhook ' + webhook().url"
        (click)="remove.emit()"
      >
        Remove
      </button>
    </article>
  `,
  styleUrl: './integrations.css',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class WebhookCardComponent {
  readonly webhook = input.required<Webhook>();
  readonly deliveries = input.required<readonly DeliverySummary[]>();
  readonly busy = input(false);
  readonly remove = output<void>();
  readonly enable = output<void>();
}
