import { BreakpointObserver } from '@angular/cdk/layout';
import { ChangeDetectionStrategy, Component, inject } from '@angular/core';
import { toSignal } from '@angular/core/rxjs-interop';
import { MatButtonModule } from '@angular/material/button';
import { RouterLink } from '@angular/router';
import { map } from 'rxjs';

import { AuthStore } from '../auth/auth-store';
import { RoomsStore } from '../rooms/rooms-store';

/** What the content area shows before a room is picked. */
@Component({
  selector: 'app-welcome-page',
  imports: [RouterLink, MatButtonModule],
  template: `
    <section class="welcome">
      <h1>Welcome, {{ user()?.displayName || user()?.username }}</h1>
      @if (rooms.loaded() && rooms.rooms().length === 0) {
        <p>You are not in any room yet.</p>
      } @else {
        <p>{{ handset() ? 'Pick a room from “Rooms” above, or:' : 'Pick a room on the left, or:' }}</p>
      }
      <nav class="welcome__actions" aria-label="Get started">
        <a matButton="filled" routerLink="/rooms/browse">Browse public rooms</a>
        <a matButton="outlined" routerLink="/rooms/new">Create a room</a>
        <a matButton="outlined" routerLink="/direct/new">Message someone</a>
        <a matButton routerLink="/sessions">Your sessions</a>
      </nav>
    </section>
  `,
  styles: `
    .welcome {
      padding: 32px 24px;
      max-width: 560px;
    }
    .welcome__actions {
      display: flex;
      flex-wrap: wrap;
      gap: 12px;
    }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class WelcomePage {
  protected readonly user = inject(AuthStore).user;
  protected readonly rooms = inject(RoomsStore);
  /** The shell folds the room list behind its "Rooms" button at this width. */
  protected readonly handset = toSignal(
    inject(BreakpointObserver)
      .observe('(max-width: 799px)')
      .pipe(map((result) => result.matches)),
    { initialValue: false },
  );
}
