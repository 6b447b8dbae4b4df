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
    expect(shown.querySelector('img, b')).toBeNull();
  });

  it('renders markdown with safe links only, through to the DOM', async () => {
    const body = '**bold** [site](https://example.com) [bad](javascript:alert(1))';
    const element = await render({ message: message(1, { body }) });
    const shown = element.querySelector('[data-testid="message-body"]')!;
    expect(shown.querySelector('strong')?.textContent).toBe('bold');
    const links = [...shown.querySelectorAll('a')];
    expect(links.map((link) => [link.getAttribute('href'), link.getAttribute('rel'), link.target])).toEqual([
      ['https://example.com', 'noopener noreferrer', '_blank'],
    ]);
  });

  it('groups: a continued message shows no avatar or name; a mention of the reader stands out', async () => {
    let element = await render({ message: message(1), continued: true });
    expect(element.querySelector('app-avatar, .bubble__sender')).toBeNull();
    element = await render({
      message: message(2, { body: 'hey @alice', mentions: ['alice'] }),
      me: { id: 'alice', username: 'alice' },
    });
    expect(element.querySelector('app-avatar')?.textContent).toBe('B');
    expect(element.querySelector('.bubble--mentions-me .mention--me')?.textContent).toBe('@alice');
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
    const editing: boolean[] = [];
    fixture.componentInstance.edited.subscribe((body) => edits.push(body));
    fixture.componentInstance.editingChange.subscribe((open) => editing.push(open));
    buttonNamed(element, 'Edit').click();
    expect(editing).toEqual([true]);
    // The list opens the editor (so Up-arrow in the composer can open it too).
    fixture.componentRef.setInput('editing', true);
    await fixture.whenStable();
    const editor = element.querySelector('textarea')!;
    editor.value = 'changed';
    editor.dispatchEvent(new Event('input'));
    buttonNamed(element, 'Save').click();
    expect(edits).toEqual(['changed']);
    expect(editing).toEqual([true, false]);
  });

  it('shows reactions with counts, pressed where the reader reacted, and toggles them', async () => {
    const reactions = [
      { emoji: '👍', count: 3, userIds: ['alice', 'bob'] },
      { emoji: '🎉', count: 1, userIds: ['bob'] },
    ];
    const element = await render({
      message: message(5, { reactions }),
      me: { id: 'alice', username: 'alice' },
      names: new Map([['bob', 'Bob (@bob)']]),
    });
    const toggles: { emoji: string; add: boolean }[] = [];
    fixture.componentInstance.reacted.subscribe((change) => toggles.push(change));
    const chips = [...element.querySelectorAll<HTMLButtonElement>('[data-testid="reaction"]')];
    expect(chips.map((chip) => [chip.textContent?.trim(), chip.getAttribute('aria-pressed')])).toEqual([
      ['👍3', 'true'],
      ['🎉1', 'false'],
    ]);
    expect(chips[0].title).toBe('You, Bob (@bob), 1 more reacted with 👍');
    chips[0].click();
    chips[1].click();
    expect(toggles).toEqual([
      { emoji: '👍', add: false },
      { emoji: '🎉', add: true },
    ]);
  });

  it('closes the editor on Escape without saving', async () => {
    const element = await render({
      message: message(2, { sender: USERS.alice, senderId: 'alice' }),
      mine: true,
      editing: true,
    });
    const editing: boolean[] = [];
    const edits: string[] = [];
    fixture.componentInstance.editingChange.subscribe((open) => editing.push(open));
    fixture.componentInstance.edited.subscribe((body) => edits.push(body));
    const editor = element.querySelector('textarea')!;
    expect(editor.value).toBe('message 2');
    editor.value = 'half-written';
    editor.dispatchEvent(new Event('input'));
    editor.dispatchEvent(new KeyboardEvent('keydown', { key: 'Escape' }));
    expect(editing).toEqual([false]);
    expect(edits).toEqual([]);
  });

  it('asks before deleting, and deletes only when confirmed', async () => {
    const element = await render({
      message: message(2, { sender: USERS.alice, senderId: 'alice' }),
      mine: true,
    });
    let deleted = 0;
    fixture.componentInstance.deleted.subscribe(() => deleted++);
    buttonNamed(element, 'Delete').click();
    await fixture.whenStable();
    buttonNamed(element, 'Keep').click();
    await fixture.whenStable();
    expect(deleted).toBe(0);
    buttonNamed(element, 'Delete').click();
    await fixture.whenStable();
    buttonNamed(element, 'Yes, delete').click();
    expect(deleted).toBe(1);
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
