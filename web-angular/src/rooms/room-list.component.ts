import { ChangeDetectionStrategy, Component, inject } from '@angular/core';
import { MatButtonModule } from '@angular/material/button';
import { RouterLink, RouterLinkActive } from '@angular/router';

import { MyRoom } from '@chat/contracts';

import { AuthStore } from '../auth/auth-store';
import { isSystem, systemText } from '../chat/system-message';
import { userLabel } from '../shared/user-label';
import { roomTitle } from './room-summaries';
import { RoomsStore } from './rooms-store';

/** The user's rooms, most recently active first, with unread badges and the last message. */
@Component({
  selector: 'app-room-list',
  imports: [RouterLink, RouterLinkActive, MatButtonModule],
  templateUrl: './room-list.component.html',
  styleUrl: './room-list.component.css',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class RoomListComponent {
  protected readonly store = inject(RoomsStore);
  private readonly auth = inject(AuthStore);
  protected readonly title = roomTitle;

  protected preview(room: MyRoom): string {
    const last = room.lastMessage;
    if (!last) return room.kind === 'direct' ? 'Say hello' : 'No messages yet';
    if (last.deletedAt) return 'Message deleted';
    if (isSystem(last)) return systemText(last, this.auth.user()?.id ?? null);
    const who = room.kind === 'direct' ? '' : `${userLabel(last.sender)}: `;
    return who + last.body;
  }
}
