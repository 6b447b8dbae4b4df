import { DatePipe } from '@angular/common';
import { ChangeDetectionStrategy, Component, DestroyRef, inject } from '@angular/core';
import { MatButtonModule } from '@angular/material/button';
import { MatDialogRef } from '@angular/material/dialog';
import { MatSnackBar } from '@angular/material/snack-bar';
import { Router } from '@angular/router';

import { Room, SearchHit, UserRef } from '@chat/contracts';

import { RoomsStore } from '../rooms/rooms-store';
import { errorText } from '../shared/error-text';
import { userLabel } from '../shared/user-label';
import { SearchStore } from './search-store';

/**
 * The search box (Ctrl/⌘-K): messages of the user's rooms grouped by room, with the matched words
 * marked, then people and public rooms by name. Snippets are bound as text parts, never as HTML.
 * Picking a message opens its room scrolled to it, with the history around it loaded.
 */
@Component({
  selector: 'app-search-dialog',
  imports: [DatePipe, MatButtonModule],
  providers: [SearchStore],
  templateUrl: './search-dialog.component.html',
  styleUrl: './search-dialog.component.css',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class SearchDialogComponent {
  private readonly dialog = inject(MatDialogRef<SearchDialogComponent>);
  private readonly router = inject(Router);
  private readonly rooms = inject(RoomsStore);
  private readonly snackBar = inject(MatSnackBar);
  protected readonly store = inject(SearchStore);
  protected readonly userLabel = userLabel;

  constructor() {
    inject(DestroyRef).onDestroy(() => this.store.dispose());
  }

  protected async openHit(hit: SearchHit): Promise<void> {
    this.dialog.close();
    await this.router.navigate(['/rooms', hit.message.roomId], { queryParams: { around: hit.message.seq } });
  }

  protected async openRoom(room: Room): Promise<void> {
    await this.act(async () => {
      if (!this.store.isMember(room.id)) await this.rooms.join(room.id);
      return room.id;
    });
  }

  protected async message(person: UserRef): Promise<void> {
    await this.act(async () => (await this.rooms.openDirect(person.id)).id);
  }

  private async act(roomOf: () => Promise<string>): Promise<void> {
    try {
      const roomId = await roomOf();
      this.dialog.close();
      await this.router.navigate(['/rooms', roomId]);
    } catch (error) {
      this.snackBar.open(errorText(error), 'Dismiss', { duration: 5000 });
    }
  }
}
