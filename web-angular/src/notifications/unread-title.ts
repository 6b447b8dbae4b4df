import { Injectable, effect, inject, signal } from '@angular/core';
import { Title } from '@angular/platform-browser';
import { RouterStateSnapshot, TitleStrategy } from '@angular/router';

/**
 * The page title is the route's, led by the unread count when there is one: "(3) Chat". The count
 * is set by the Notifier (the router creates this strategy before any store exists, and the stores
 * depend on the router).
 */
@Injectable({ providedIn: 'root' })
export class UnreadTitleStrategy extends TitleStrategy {
  private readonly routeTitle = signal('Chat');
  readonly unread = signal(0);

  constructor() {
    super();
    const title = inject(Title);
    effect(() => {
      const unread = this.unread();
      title.setTitle(unread > 0 ? `(${unread}) ${this.routeTitle()}` : this.routeTitle());
    });
  }

  override updateTitle(snapshot: RouterStateSnapshot): void {
    this.routeTitle.set(this.buildTitle(snapshot) ?? 'Chat');
  }
}
