import {
  ChangeDetectionStrategy,
  Component,
  DestroyRef,
  ElementRef,
  afterNextRender,
  inject,
  output,
} from '@angular/core';

/**
 * The full emoji picker (emoji-picker-element: search, categories, skin tones, keyboard use). Its
 * data is the emoji-picker-element-data file the build copies to `/emoji/data.json`, so it works
 * offline and behind the app's CSP, never from a CDN; the picker's code loads only when first opened.
 */
@Component({
  selector: 'app-emoji-picker',
  template: '',
  styles: `
    :host {
      display: block;
      width: min(340px, 80vw);
    }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
  host: { '(keydown.escape)': 'closed.emit()' },
})
export class EmojiPickerComponent {
  readonly picked = output<string>();
  readonly closed = output<void>();

  constructor() {
    const host = inject<ElementRef<HTMLElement>>(ElementRef).nativeElement;
    let gone = false;
    inject(DestroyRef).onDestroy(() => (gone = true));
    afterNextRender(async () => {
      const { default: Picker } = await import('emoji-picker-element/picker.js');
      if (gone) return;
      const picker = new Picker({ dataSource: '/emoji/data.json' });
      picker.style.width = '100%';
      picker.addEventListener('emoji-click', (event) => {
        if (event.detail.unicode) this.picked.emit(event.detail.unicode);
      });
      host.append(picker);
      // The search box, so typing a name finds the emoji at once.
      requestAnimationFrame(() => picker.shadowRoot?.querySelector<HTMLElement>('input')?.focus());
    });
  }
}
