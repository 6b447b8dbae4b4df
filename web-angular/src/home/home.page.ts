import { HttpClient, HttpErrorResponse } from '@angular/common/http';
import { ChangeDetectionStrategy, Component, DestroyRef, computed, inject, signal } from '@angular/core';

import { Limits } from '@chat/contracts';

type HealthState = { kind: 'loading' } | { kind: 'ok'; status: string } | { kind: 'error'; message: string };

/** Placeholder landing page until the real chat client lands. */
@Component({
  selector: 'app-home-page',
  templateUrl: './home.page.html',
  styleUrl: './home.page.css',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class HomePage {
  private readonly http = inject(HttpClient);

  protected readonly maxBody = Limits.MESSAGE_BODY_MAX;
  protected readonly health = signal<HealthState>({ kind: 'loading' });
  protected readonly healthLabel = computed(() => {
    const h = this.health();
    switch (h.kind) {
      case 'loading':
        return 'checking…';
      case 'ok':
        return h.status;
      case 'error':
        return h.message;
    }
  });

  constructor() {
    const sub = this.http.get<{ status?: unknown }>('/api/health').subscribe({
      next: (body) =>
        this.health.set({ kind: 'ok', status: typeof body?.status === 'string' ? body.status : 'ok' }),
      error: (err: unknown) =>
        this.health.set({
          kind: 'error',
          message:
            err instanceof HttpErrorResponse
              ? err.status === 0
                ? 'unreachable'
                : `HTTP ${err.status}`
              : 'unreachable',
        }),
    });
    inject(DestroyRef).onDestroy(() => sub.unsubscribe());
  }
}
