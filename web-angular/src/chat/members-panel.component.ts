import { ChangeDetectionStrategy, Component, input, output } from '@angular/core';
import { MatButtonModule } from '@angular/material/button';

import { Member } from '@chat/contracts';

/** Who is in the room and who of them is online right now, anywhere in the cluster. */
@Component({
  selector: 'app-members-panel',
  imports: [MatButtonModule],
  template: `
    <h2 class="members__title">Members ({{ members().length }}{{ hasMore() ? '+' : '' }})</h2>
    <ul class="members" aria-label="Members">
      @for (member of members(); track member.user.id) {
        <li class="member" [attr.data-user]="member.user.username">
          <span class="member__dot" [class.member__dot--online]="member.online" aria-hidden="true"></span>
          <span class="member__name">{{ member.user.displayName || member.user.username }}</span>
          <span class="member__handle" data-testid="handle">&#64;{{ member.user.username }}</span>
          <span class="member__state" data-testid="presence">{{ member.online ? 'online' : 'offline' }}</span>
          @if (member.role !== 'member') {
            <span class="member__state">· {{ member.role }}</span>
          }
        </li>
      }
    </ul>
    @if (hasMore()) {
      <button mat-button type="button" class="members__more" (click)="more.emit()">More members</button>
    }
  `,
  styles: `
    :host {
      display: block;
      padding: 12px 16px;
    }
    .members__title {
      margin: 0 0 8px;
      font: var(--mat-sys-title-small);
    }
    .members {
      list-style: none;
      margin: 0;
      padding: 0;
    }
    .member {
      display: flex;
      align-items: center;
      gap: 8px;
      padding: 4px 0;
    }
    .member__dot {
      flex: none;
      width: 10px;
      height: 10px;
      border-radius: 50%;
      border: 2px solid var(--mat-sys-outline);
    }
    .member__handle {
      color: var(--mat-sys-on-surface-variant);
      font: var(--mat-sys-body-small);
    }
    .member__dot--online {
      background: #2e7d32;
      border-color: #2e7d32;
    }
    .member__name {
      min-width: 0;
      overflow: hidden;
      text-overflow: ellipsis;
      white-space: nowrap;
    }
    .member__state {
      flex: none;
      color: var(--mat-sys-on-surface-variant);
      font: var(--mat-sys-body-small);
    }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class MembersPanelComponent {
  readonly members = input.required<readonly Member[]>();
  /** More members exist than are listed: offers to load the next page. */
  readonly hasMore = input(false);
  readonly more = output<void>();
}
