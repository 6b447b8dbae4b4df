import { ChangeDetectionStrategy, Component, inject } from '@angular/core';
import { Router } from '@angular/router';

import { User } from '@chat/contracts';

import { RoomsStore } from '../rooms/rooms-store';
import { ActionState } from '../shared/action-state';
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
  private readonly rooms = inject(RoomsStore);
  private readonly router = inject(Router);

  private readonly starting = new ActionState();
  protected readonly busy = this.starting.busy;
  protected readonly error = this.starting.error;

  protected async start(user: User): Promise<void> {
    await this.starting.run(async () => {
      const room = await this.rooms.openDirect(user.id);
      await this.router.navigate(['/rooms', room.id]);
    });
  }
}
