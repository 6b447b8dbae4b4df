import { DOCUMENT } from '@angular/common';
import { DestroyRef, Injectable, effect, inject, signal, untracked } from '@angular/core';
import { takeUntilDestroyed } from '@angular/core/rxjs-interop';
import { debounceTime } from 'rxjs';

import { ClusterStats } from '@chat/contracts';

import { AuthStore } from '../auth/auth-store';
import { ChatApi } from '../shared/chat-api';
import { ChatConnection } from './chat-connection';

const REFRESH_MS = 5_000;
/** Presence changes come in bursts (a room of people reconnecting): one refresh per burst. */
const PRESENCE_DEBOUNCE_MS = 500;

/** Cluster-wide online count from `/api/stats`, refreshed while signed in and the tab is visible. */
@Injectable({ providedIn: 'root' })
export class ClusterStatsStore {
  private readonly auth = inject(AuthStore);
  private readonly api = inject(ChatApi);
  private readonly document = inject(DOCUMENT);
  private timer: ReturnType<typeof setInterval> | undefined;

  readonly stats = signal<ClusterStats | null>(null);

  constructor() {
    effect(() => {
      const signedIn = this.auth.isSignedIn();
      untracked(() => (signedIn ? this.start() : this.stop()));
    });
    inject(ChatConnection)
      .presence.pipe(debounceTime(PRESENCE_DEBOUNCE_MS), takeUntilDestroyed())
      .subscribe(() => void this.refresh());
    const refreshWhenShown = () => {
      if (this.document.visibilityState === 'visible' && this.timer) void this.refresh();
    };
    this.document.addEventListener('visibilitychange', refreshWhenShown);
    inject(DestroyRef).onDestroy(() => {
      this.stop();
      this.document.removeEventListener('visibilitychange', refreshWhenShown);
    });
  }

  async refresh(): Promise<void> {
    try {
      this.stats.set(await this.api.http.stats());
    } catch {
      // Keep the last figure: a missed poll is not worth an error banner.
    }
  }

  private start(): void {
    this.stop();
    void this.refresh();
    this.timer = setInterval(() => {
      if (this.document.visibilityState !== 'hidden') void this.refresh();
    }, REFRESH_MS);
  }

  private stop(): void {
    clearInterval(this.timer);
    this.timer = undefined;
    this.stats.set(null);
  }
}
