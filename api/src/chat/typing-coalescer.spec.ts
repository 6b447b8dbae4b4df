import { TypingCoalescer } from './typing-coalescer';

describe('TypingCoalescer', () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  it('broadcasts the first signal at once and coalesces the rest of the interval', () => {
    const coalescer = new TypingCoalescer(2_000);
    const sent: boolean[] = [];
    for (let i = 0; i < 300; i++) coalescer.signal('u:r', true, (isTyping) => sent.push(isTyping));
    expect(sent).toEqual([true]);
    jest.advanceTimersByTime(2_000);
    expect(sent).toEqual([true]);
  });

  it('sends the latest state at the end of the interval when it changed, so a stop is never lost', () => {
    const coalescer = new TypingCoalescer(2_000);
    const sent: boolean[] = [];
    const record = (isTyping: boolean) => sent.push(isTyping);
    coalescer.signal('u:r', true, record);
    coalescer.signal('u:r', false, record);
    coalescer.signal('u:r', true, record);
    coalescer.signal('u:r', false, record);
    expect(sent).toEqual([true]);
    jest.advanceTimersByTime(2_000);
    expect(sent).toEqual([true, false]);
    jest.advanceTimersByTime(2_000);
    coalescer.signal('u:r', true, record);
    expect(sent).toEqual([true, false, true]);
  });

  it('keeps users and rooms apart', () => {
    const coalescer = new TypingCoalescer(2_000);
    const sent: string[] = [];
    coalescer.signal('a:r', true, () => sent.push('a:r'));
    coalescer.signal('b:r', true, () => sent.push('b:r'));
    coalescer.signal('a:s', true, () => sent.push('a:s'));
    expect(sent).toEqual(['a:r', 'b:r', 'a:s']);
    coalescer.clear();
  });
});
