import { Injectable, effect, inject, signal } from '@angular/core';
import { Title } from '@angular/platform-browser';
import { RouterStateSnapshot, TitleStrategy } from '@angular/router';

import { RoomsStore } from '../rooms/rooms-store';

/** The page title is the route's, led by the unread count when there is one: "(3) Chat". */
@Injectable({ providedIn: 'root' })
export class UnreadTitleStrategy extends TitleStrategy {
  private readonly routeTitle = signal('Chat');

  constructor() {
    super();
    const title = inject(Title);
    const rooms = inject(RoomsStore);
    effect(() => {
      const unread = rooms.notifiableUnread();
      title.setTitle(unread > 0 ? `(${unread}) ${this.routeTitle()}` : this.routeTitle());
    });
  }

  override updateTitle(snapshot: RouterStateSnapshot): void {
    this.routeTitle.set(this.buildTitle(snapshot) ?? 'Chat');
  }
}
