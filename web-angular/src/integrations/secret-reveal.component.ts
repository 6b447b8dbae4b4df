import { ChangeDetectionStrategy, Component, input, output, signal } from '@angular/core';
import { MatButtonModule } from '@angular/material/button';

/**
 * A secret the server shows only once: the value, a copy button, and a warning that it cannot be
 * shown again (the server keeps only a hash, or nothing the owner can read back).
 */
@Component({
  selector: 'app-secret-reveal',
  imports: [MatButtonModule],
  template: `
    <section class="secret" role="alert" [attr.aria-label]="title()">
      <h3 class="secret__title">{{ title() }}</h3>
      <p class="secret__warning">
        Copy it now and keep it somewhere safe: it is shown only this once. If it is lost, create a new one
        and revoke this one.
      </p>
      <code class="secret__value" data-testid="secret-value">{{ value() }}</code>
      <div class="secret__actions">
        <button matButton="filled" type="button" (click)="copy()">{{ copied() ? 'Copied' : 'Copy' }}</button>
        <button matButton type="button" (click)="dismissed.emit()">I have saved it</button>
      </div>
      @if (copyFailed()) {
        <p class="secret__error">The browser did not allow copying: select the text and copy it.</p>
      }
    </section>
  `,
  styles: `
    .secret {
      margin: 0 0 16px;
      padding: 12px 16px;
      border: 2px solid var(--mat-sys-tertiary);
      border-radius: 8px;
      background: var(--mat-sys-tertiary-container);
      color: var(--mat-sys-on-tertiary-container);
    }
    .secret__title {
      margin: 0 0 4px;
      font: var(--mat-sys-title-small);
    }
    .secret__warning {
      margin: 0 0 8px;
      font-weight: 500;
    }
    .secret__value {
      display: block;
      padding: 8px;
      overflow-wrap: anywhere;
      user-select: all;
      background: var(--mat-sys-surface);
      color: var(--mat-sys-on-surface);
      border-radius: 4px;
    }
    .secret__actions {
      display: flex;
      gap: 8px;
      margin-top: 8px;
    }
    .secret__error {
      color: var(--mat-sys-error);
    }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class SecretRevealComponent {
  readonly title = input.required<string>();
  readonly value = input.required<string>();
  readonly dismissed = output<void>();

  protected readonly copied = signal(false);
  protected readonly copyFailed = signal(false);

  protected async copy(): Promise<void> {
    try {
      await navigator.clipboard.writeText(this.value());
      this.copied.set(true);
      this.copyFailed.set(false);
    } catch {
      this.copyFailed.set(true);
    }
  }
}
