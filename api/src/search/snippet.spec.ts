import { headlineOptions, newMarkers, snippetParts } from './snippet';

describe('snippetParts', () => {
  const markers = { start: 'S1', stop: 'E1' };

  it('splits a headline into plain and matched parts, in order', () => {
    expect(snippetParts('the S1release E1is S1out E1 now', markers)).toEqual([
      { text: 'the ', match: false },
      { text: 'release ', match: true },
      { text: 'is ', match: false },
      { text: 'out ', match: true },
      { text: ' now', match: false },
    ]);
  });

  it('merges adjacent matches and drops empty parts', () => {
    expect(snippetParts('S1quickE1S1foxE1', markers)).toEqual([{ text: 'quickfox', match: true }]);
    expect(snippetParts('', markers)).toEqual([]);
  });

  it('keeps markup and control characters of the message as plain text', () => {
    const body = '<img src=x onerror=alert(1)>\u0002\u0003';
    expect(snippetParts(`${body} S1deployE1`, markers)).toEqual([
      { text: `${body} `, match: false },
      { text: 'deploy', match: true },
    ]);
  });

  it('treats an unclosed start marker as a match to the end', () => {
    expect(snippetParts('a S1b', markers)).toEqual([
      { text: 'a ', match: false },
      { text: 'b', match: true },
    ]);
  });

  it('picks new markers for every search, which a message cannot know in advance', () => {
    const one = newMarkers();
    const two = newMarkers();
    expect(one.start).not.toBe(two.start);
    expect(one.start).toMatch(/^hlstart[0-9a-f]{24}$/);
    expect(headlineOptions(one)).toContain(`StartSel=${one.start}, StopSel=${one.stop}`);
  });
});
