import { buildTree, renderSvg } from './flamegraph';

const frame = (functionName: string, url = '') => ({ functionName, url, lineNumber: 0 });

/** root → (idle); root → a → b; root → a' (another node of the same function) → b. */
const profile = {
  nodes: [
    { id: 1, callFrame: frame('(root)'), children: [2, 3, 5] },
    { id: 2, callFrame: frame('(idle)') },
    { id: 3, callFrame: frame('send', '/x/node_modules/engine.io/build/socket.js'), children: [4] },
    { id: 4, callFrame: frame('writev') },
    { id: 5, callFrame: frame('send', '/x/node_modules/engine.io/build/socket.js'), children: [6] },
    { id: 6, callFrame: frame('writev') },
  ],
  // Samples at 1 s, 2 s, 3 s, 4 s (timeDeltas in µs).
  samples: [2, 4, 6, 3],
  timeDeltas: [1e6, 1e6, 1e6, 1e6],
};

describe('flame graph of a CPU profile', () => {
  it('leaves idle out and merges nodes of the same call path', () => {
    const root = buildTree(profile);
    expect(root.total).toBe(3e6);
    const send = [...root.children.values()];
    expect(send).toHaveLength(1);
    expect(send[0]).toMatchObject({ category: 'socket.io', self: 1e6, total: 3e6 });
    expect([...send[0].children.values()][0]).toMatchObject({ name: 'writev', self: 2e6 });
  });

  it('keeps only the samples of the window asked for', () => {
    const root = buildTree(profile, 1.5, 3.5);
    expect(root.total).toBe(2e6);
  });

  it('draws one titled rectangle per frame wide enough to see', () => {
    const svg = renderSvg(buildTree(profile), 'a <test>');
    expect(svg).toContain('a &lt;test&gt;');
    expect(svg.match(/<rect x=/g)).toHaveLength(3 + 9);
    expect(svg).toContain('<title>writev — 66.7%</title>');
  });
});
