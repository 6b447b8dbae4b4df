import { median, percentile, summarize } from './stats';

describe('latency statistics', () => {
  it('uses the nearest rank over merged raw samples', () => {
    const samples = Array.from({ length: 1000 }, (_, i) => i + 1); // 1..1000 ms
    expect(summarize(samples)).toMatchObject({
      count: 1000,
      p50: 500,
      p90: 900,
      p99: 990,
      p999: 999,
      max: 1000,
    });
  });

  it('differs from averaging per-process percentiles, which is why samples are merged', () => {
    const fast = Array.from({ length: 990 }, () => 1);
    const slow = Array.from({ length: 10 }, () => 500);
    const merged = summarize([...fast, ...slow]).p99;
    const averaged = (summarize(fast).p99 + summarize(slow).p99) / 2;
    expect(merged).toBe(1);
    expect(averaged).toBe(250.5);
  });

  it('handles empty input and takes medians of repetitions', () => {
    expect(percentile([], 0.5)).toBeNaN();
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 2, 3])).toBe(2.5);
    expect(median([Number.NaN, 5])).toBe(5);
  });
});
