import { DatePipe } from '@angular/common';
import { ChangeDetectionStrategy, Component, inject, signal } from '@angular/core';
import { MatButtonModule } from '@angular/material/button';

import { AuthSessionInfo } from '@chat/contracts';

import { ChatApi } from '../shared/chat-api';
import { errorText } from '../shared/error-text';
import { AuthStore } from './auth-store';

/** Where the user is signed in (one line per sign-in session), to end one or all of them. */
@Component({
  selector: 'app-sessions-page',
  imports: [DatePipe, MatButtonModule],
  template: `
    <section class="page">
      <h1>Your sessions</h1>
      @if (error(); as message) {
        <p class="page__error" role="alert">{{ message }}</p>
      }
      <ul class="sessions" aria-label="Sessions">
        @for (session of sessions(); track session.id) {
          <li class="session" [attr.data-session]="session.id">
            <span class="session__agent">{{ session.userAgent || 'Unknown device' }}</span>
            <span class="session__when">
              signed in {{ session.createdAt | date: 'short' }}, last seen
              {{ session.lastSeenAt | date: 'short' }}
            </span>
            @if (session.current) {
              <span class="session__current">this browser</span>
            } @else {
              <button matButton type="button" [disabled]="busy()" (click)="end(session)">Sign out</button>
            }
          </li>
        }
      </ul>
      <button matButton="outlined" type="button" [disabled]="busy()" (click)="endAll()">
        Sign out everywhere
      </button>
    </section>
  `,
  styleUrl: '../rooms/rooms-pages.css',
  styles: `
    .sessions {
      list-style: none;
      padding: 0;
    }
    .session {
      display: flex;
      flex-wrap: wrap;
      align-items: center;
      gap: 8px 12px;
      padding: 8px 0;
    }
    .session__when,
    .session__current {
      color: var(--mat-sys-on-surface-variant);
      font: var(--mat-sys-body-small);
    }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class SessionsPage {
  private readonly auth = inject(AuthStore);
  private readonly api = inject(ChatApi);

  protected readonly sessions = signal<AuthSessionInfo[]>([]);
  protected readonly busy = signal(false);
  protected readonly error = signal<string | null>(null);

  constructor() {
    void this.run(async () => this.sessions.set(await this.api.http.sessions()));
  }

  protected end(session: AuthSessionInfo): Promise<void> {
    return this.run(async () => {
      await this.api.http.endSession(session.id);
      this.sessions.set(await this.api.http.sessions());
    });
  }

  protected endAll(): Promise<void> {
    return this.run(() => this.auth.signOutEverywhere());
  }

  private async run(action: () => Promise<void>): Promise<void> {
    this.busy.set(true);
    this.error.set(null);
    try {
      await action();
    } catch (error) {
      this.error.set(errorText(error));
    } finally {
      this.busy.set(false);
    }
  }
}
