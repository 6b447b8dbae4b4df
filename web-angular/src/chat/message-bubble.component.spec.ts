import { ComponentFixture, TestBed } from '@angular/core/testing';

import { USERS, message } from '../testing/messages';
import { MessageBubbleComponent } from './message-bubble.component';

describe('MessageBubbleComponent', () => {
  let fixture: ComponentFixture<MessageBubbleComponent>;

  async function render(inputs: Record<string, unknown>): Promise<HTMLElement> {
    fixture = TestBed.createComponent(MessageBubbleComponent);
    for (const [name, value] of Object.entries(inputs)) fixture.componentRef.setInput(name, value);
    await fixture.whenStable();
    return fixture.nativeElement as HTMLElement;
  }

  it('shows markup in a body as text, never as elements', async () => {
    const body = '<img src=x onerror="alert(1)"><b>bold</b>';
    const element = await render({ message: message(1, { body }) });
    const shown = element.querySelector('[data-testid="message-body"]')!;
    expect(shown.textContent).toBe(body);
    expect(shown.children).toHaveLength(0);
  });

  it('marks a bot’s message as a bot’s, and no one else’s', async () => {
    const bot = { id: 'deploy-bot', username: 'deploy', displayName: 'Deploy bot', isBot: true as const };
    let element = await render({ message: message(1, { sender: bot, senderId: bot.id }) });
    expect(element.querySelector('.bubble__bot')?.textContent).toBe('bot');
    expect(element.querySelector('article')!.getAttribute('aria-label')).toBe(
      'Message from Deploy bot (@deploy) (bot)',
    );

    element = await render({ message: message(2) });
    expect(element.querySelector('.bubble__bot')).toBeNull();
  });

  it('offers edit and delete only on the user’s own messages, and emits the new body', async () => {
    let element = await render({ message: message(1) });
    expect(element.textContent).not.toContain('Edit');

    element = await render({ message: message(2, { sender: USERS.alice, senderId: 'alice' }), mine: true });
    const edits: string[] = [];
    fixture.componentInstance.edited.subscribe((body) => edits.push(body));
    buttonNamed(element, 'Edit').click();
    await fixture.whenStable();
    const editor = element.querySelector('textarea')!;
    editor.value = 'changed';
    editor.dispatchEvent(new Event('input'));
    buttonNamed(element, 'Save').click();
    expect(edits).toEqual(['changed']);
  });

  it('names the sender with the handle as well, since display names are not unique', async () => {
    const element = await render({ message: message(4, { sender: USERS.bob, senderId: 'bob' }) });
    expect(element.querySelector('.bubble__sender')!.textContent).toBe('Bob');
    expect(element.querySelector('[data-testid="sender-handle"]')!.textContent).toBe('@bob');
    expect(element.querySelector('article')!.getAttribute('aria-label')).toBe('Message from Bob (@bob)');
  });

  it('shows a deleted message as deleted, with who has seen it', async () => {
    const element = await render({
      message: message(3, { body: '', deletedAt: '2026-01-01T13:00:00.000Z' }),
      seenBy: ['Alice', 'Carol'],
    });
    expect(element.textContent).toContain('Message deleted');
    expect(element.querySelector('[data-testid="seen-by"]')!.textContent).toContain('Seen by Alice, Carol');
  });
});

function buttonNamed(root: HTMLElement, name: string): HTMLButtonElement {
  const button = [...root.querySelectorAll('button')].find((b) => b.textContent?.trim() === name);
  if (!button) throw new Error(`No button "${name}"`);
  return button;
}
