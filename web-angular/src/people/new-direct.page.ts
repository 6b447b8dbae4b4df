import { ChangeDetectionStrategy, Component, inject, signal } from '@angular/core';
import { Router } from '@angular/router';

import { User } from '@chat/contracts';

import { AuthStore } from '../auth/auth-store';
import { RoomsStore } from '../rooms/rooms-store';
import { errorText } from '../shared/error-text';
import { UserPickerComponent } from './user-picker.component';

/** Starts (or reopens) the direct conversation with someone. */
@Component({
  selector: 'app-new-direct-page',
  imports: [UserPickerComponent],
  template: `
    <section class="page">
      <h1>Message someone</h1>
      <app-user-picker
        label="Find people"
        actionLabel="Message"
        [disabled]="busy()"
        (picked)="start($event)"
      />
      @if (error(); as message) {
        <p class="page__error" role="alert">{{ message }}</p>
      }
    </section>
  `,
  styleUrl: '../rooms/rooms-pages.css',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class NewDirectPage {
  private readonly auth = inject(AuthStore);
  private readonly rooms = inject(RoomsStore);
  private readonly router = inject(Router);

  protected readonly busy = signal(false);
  protected readonly error = signal<string | null>(null);

  protected async start(user: User): Promise<void> {
    this.busy.set(true);
    this.error.set(null);
    try {
      const room = await this.auth.client.http.directRoom(user.id);
      await this.rooms.added(room.id);
      await this.router.navigate(['/rooms', room.id]);
    } catch (error) {
      this.error.set(errorText(error));
    } finally {
      this.busy.set(false);
    }
  }
}
