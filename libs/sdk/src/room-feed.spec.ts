import { Message, MessagePage } from '@chat/contracts';

import { RoomFeed } from './room-feed';
import { messageAt, pageOf } from './testing/messages';

function feedAt(lastSeq: number, pages: Array<MessagePage | Error> = []) {
  const delivered: number[] = [];
  const fetchAfter = jest.fn(async (_after: number): Promise<MessagePage> => {
    const next = pages.shift();
    if (!next) throw new Error('unexpected history fetch');
    if (next instanceof Error) throw next;
    return next;
  });
  const feed = new RoomFeed({ lastSeq, deliver: (m: Message) => delivered.push(m.seq), fetchAfter });
  return { feed, delivered, fetchAfter };
}

describe('RoomFeed', () => {
  it('delivers contiguous messages at once and advances lastSeq', () => {
    const { feed, delivered } = feedAt(3);
    expect(feed.accept(messageAt(4))).toBe('delivered');
    expect(feed.accept(messageAt(5))).toBe('delivered');
    expect(delivered).toEqual([4, 5]);
    expect(feed.lastSeq).toBe(5);
    expect(feed.hasGap).toBe(false);
  });

  it('drops duplicates: anything at or below lastSeq, and a message already buffered', () => {
    const { feed, delivered } = feedAt(3);
    expect(feed.accept(messageAt(3))).toBe('duplicate');
    expect(feed.accept(messageAt(1))).toBe('duplicate');
    expect(feed.accept(messageAt(6))).toBe('buffered');
    expect(feed.accept(messageAt(6))).toBe('duplicate');
    expect(feed.accept(messageAt(4))).toBe('delivered');
    expect(feed.accept(messageAt(4))).toBe('duplicate');
    expect(delivered).toEqual([4]);
  });

  it('buffers past a gap, then delivers in order once the gap is filled live', () => {
    const { feed, delivered } = feedAt(0);
    feed.accept(messageAt(3));
    feed.accept(messageAt(2));
    expect(delivered).toEqual([]);
    expect(feed.hasGap).toBe(true);
    feed.accept(messageAt(1));
    expect(delivered).toEqual([1, 2, 3]);
    expect(feed.hasGap).toBe(false);
  });

  it('fills a gap from history after lastSeq and delivers everything once, in order', async () => {
    const { feed, delivered, fetchAfter } = feedAt(2, [pageOf([3, 4, 5, 6])]);
    feed.accept(messageAt(5));
    feed.accept(messageAt(6));
    await feed.catchUp();
    expect(fetchAfter).toHaveBeenCalledWith(2);
    expect(delivered).toEqual([3, 4, 5, 6]);
    expect(feed.lastSeq).toBe(6);
    expect(feed.hasGap).toBe(false);
  });

  it('ignores the overlap when history returns messages already delivered or buffered', async () => {
    const { feed, delivered } = feedAt(2, [pageOf([1, 2, 3, 4, 5, 6, 7])]);
    feed.accept(messageAt(3));
    feed.accept(messageAt(5));
    feed.accept(messageAt(7));
    await feed.catchUp();
    feed.accept(messageAt(7));
    feed.accept(messageAt(8));
    expect(delivered).toEqual([3, 4, 5, 6, 7, 8]);
  });

  it('pages with hasMore, asking after the newest seq each time', async () => {
    const { feed, delivered, fetchAfter } = feedAt(0, [
      pageOf([1, 2], true),
      pageOf([3, 4], true),
      pageOf([5]),
    ]);
    await feed.catchUp();
    expect(fetchAfter.mock.calls.map(([after]) => after)).toEqual([0, 2, 4]);
    expect(delivered).toEqual([1, 2, 3, 4, 5]);
  });

  it('goes round again when a message arrives past a gap during a fill', async () => {
    let releaseFirst!: (page: MessagePage) => void;
    const delivered: number[] = [];
    const fetchAfter = jest
      .fn<Promise<MessagePage>, [number]>()
      .mockImplementationOnce(() => new Promise((resolve) => (releaseFirst = resolve)))
      .mockResolvedValueOnce(pageOf([3, 4, 5]));
    const feed = new RoomFeed({ lastSeq: 0, deliver: (m) => delivered.push(m.seq), fetchAfter });

    const fill = feed.catchUp();
    expect(feed.accept(messageAt(5))).toBe('buffered');
    releaseFirst(pageOf([1, 2]));
    await fill;

    expect(fetchAfter.mock.calls.map(([after]) => after)).toEqual([0, 2]);
    expect(delivered).toEqual([1, 2, 3, 4, 5]);
  });

  it('shares one fill between concurrent catch-ups', async () => {
    const { feed, fetchAfter } = feedAt(0, [pageOf([1]), pageOf([])]);
    await Promise.all([feed.catchUp(), feed.catchUp()]);
    // The second call asked for one more round, not for a parallel fill.
    expect(fetchAfter.mock.calls.map(([after]) => after)).toEqual([0, 1]);
  });

  it('skips a hole that history does not have, rather than hold later messages forever', async () => {
    const { feed, delivered } = feedAt(0, [pageOf([1, 2])]);
    feed.accept(messageAt(4));
    await feed.catchUp();
    expect(delivered).toEqual([1, 2, 4]);
    expect(feed.lastSeq).toBe(4);
  });

  it('keeps the buffer when the fetch fails, and delivers on the next successful catch-up', async () => {
    const { feed, delivered } = feedAt(0, [new Error('offline'), pageOf([1, 2])]);
    feed.accept(messageAt(2));
    await expect(feed.catchUp()).rejects.toThrow('offline');
    expect(delivered).toEqual([]);
    expect(feed.hasGap).toBe(true);
    await feed.catchUp();
    expect(delivered).toEqual([1, 2]);
  });

  it('delivers nothing once closed', async () => {
    const { feed, delivered } = feedAt(0, [pageOf([1, 2])]);
    feed.accept(messageAt(2));
    feed.close();
    await feed.catchUp();
    feed.accept(messageAt(1));
    expect(delivered).toEqual([]);
  });
});
