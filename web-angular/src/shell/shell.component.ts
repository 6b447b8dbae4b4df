import { BreakpointObserver } from '@angular/cdk/layout';
import { ChangeDetectionStrategy, Component, computed, effect, inject, signal } from '@angular/core';
import { takeUntilDestroyed, toSignal } from '@angular/core/rxjs-interop';
import { MatButtonModule } from '@angular/material/button';
import { MatDialog } from '@angular/material/dialog';
import { MatSidenavModule } from '@angular/material/sidenav';
import { MatToolbarModule } from '@angular/material/toolbar';
import { NavigationEnd, Router, RouterLink, RouterOutlet } from '@angular/router';
import { filter, map } from 'rxjs';

import { AuthStore } from '../auth/auth-store';
import { Outbox } from '../chat/outbox';
import { Notifier } from '../notifications/notifier';
import { ChatConnection } from '../realtime/chat-connection';
import { ClusterStatsStore } from '../realtime/cluster-stats';
import { RoomListComponent } from '../rooms/room-list.component';
import { RoomsStore } from '../rooms/rooms-store';
import { SearchDialogComponent } from '../search/search-dialog.component';
import { CONNECTION_LABELS } from './connection-status';

const SEARCH_DIALOG_ID = 'search';

/** The signed-in frame: header (connection, instance, online count, account), room list, outlet. */
@Component({
  selector: 'app-shell',
  imports: [RouterOutlet, RouterLink, MatToolbarModule, MatSidenavModule, MatButtonModule, RoomListComponent],
  templateUrl: './shell.component.html',
  styleUrl: './shell.component.css',
  changeDetection: ChangeDetectionStrategy.OnPush,
  host: { '(document:keydown)': 'onKeydown($event)' },
})
export class ShellComponent {
  private readonly dialog = inject(MatDialog);
  private readonly auth = inject(AuthStore);
  private readonly connection = inject(ChatConnection);
  private readonly clusterStats = inject(ClusterStatsStore);
  private readonly outbox = inject(Outbox);
  protected readonly roomsStore = inject(RoomsStore);

  protected readonly user = this.auth.user;
  protected readonly state = this.connection.state;
  protected readonly stateLabel = computed(() => CONNECTION_LABELS[this.state()]);
  protected readonly instanceId = this.connection.instanceId;
  /** The polled figure lags a fresh connection by up to a poll: the user is online once connected. */
  protected readonly onlineUsers = computed(() => {
    const stats = this.clusterStats.stats();
    return stats ? Math.max(stats.onlineUsers, this.connection.online() ? 1 : 0) : null;
  });
  protected readonly instanceCount = computed(() => this.clusterStats.stats()?.instances.length ?? null);
  protected readonly outboxSize = this.outbox.size;

  protected readonly handset = toSignal(
    inject(BreakpointObserver)
      .observe('(max-width: 799px)')
      .pipe(map((result) => result.matches)),
    { initialValue: false },
  );
  protected readonly navOpen = signal(false);

  constructor() {
    inject(Notifier); // notifications run while signed in, whichever page is open
    const router = inject(Router);
    // On a phone the room list covers the chat: close it once the user picked somewhere to go.
    router.events
      .pipe(
        filter((event) => event instanceof NavigationEnd),
        takeUntilDestroyed(),
      )
      .subscribe(() => this.navOpen.set(false));
    effect(() => {
      if (!this.handset()) this.navOpen.set(false);
    });
  }

  /** Ctrl-K (⌘-K on a Mac) opens the search box from anywhere, as in other chat apps. */
  protected onKeydown(event: KeyboardEvent): void {
    if (event.key.toLowerCase() !== 'k' || !(event.ctrlKey || event.metaKey) || event.altKey) return;
    event.preventDefault();
    this.openSearch();
  }

  protected openSearch(): void {
    if (this.dialog.getDialogById(SEARCH_DIALOG_ID)) return;
    this.dialog.open(SearchDialogComponent, {
      id: SEARCH_DIALOG_ID,
      ariaLabel: 'Search',
      position: { top: '10vh' },
      maxWidth: '96vw',
    });
  }

  protected signOut(): void {
    this.auth.signOut();
  }
}
