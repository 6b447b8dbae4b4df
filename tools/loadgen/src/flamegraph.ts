/**
 * A flame graph (SVG) of a V8 CPU profile (`node --cpu-prof`), for the profiles behind the README's
 * Performance section:
 *   node dist/loadgen/tools/loadgen/src/flamegraph.js <profile.cpuprofile> <out.svg> [--from S] [--to S]
 *        [--title TEXT]
 * --from/--to keep the samples of that window (seconds from the profile's start), e.g. only the
 * measured step of a bench run. Idle time is left out: widths are shares of the time the process
 * was running (or waiting to run: on a shared core, time spent descheduled in a syscall shows there).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}

interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

interface Frame {
  name: string;
  category: Category;
  self: number;
  total: number;
  children: Map<string, Frame>;
}

type Category = 'project' | 'socket.io' | 'database' | 'redis' | 'nest' | 'node' | 'native' | 'gc' | 'other';

const COLORS: Record<Category, string> = {
  project: '#e8743b',
  'socket.io': '#4e9a06',
  database: '#3465a4',
  redis: '#cc0000',
  nest: '#75507b',
  node: '#c4a000',
  native: '#888a85',
  gc: '#ad7fa8',
  other: '#babdb6',
};

const PACKAGE_CATEGORIES: [RegExp, Category][] = [
  [/^(socket\.io|engine\.io|ws|@socket\.io|socket\.io-adapter|socket\.io-parser)/, 'socket.io'],
  [/^(pg|pg-protocol|pg-pool|typeorm|postgres-array)/, 'database'],
  [/^(ioredis|rate-limiter-flexible|@ioredis)/, 'redis'],
  [/^(@nestjs|rxjs|class-validator|class-transformer|reflect-metadata)/, 'nest'],
];

function categoryOf(url: string, functionName: string): Category {
  if (functionName === '(garbage collector)') return 'gc';
  if (!url) return 'native';
  const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url)?.[1];
  if (pkg) return PACKAGE_CATEGORIES.find(([pattern]) => pattern.test(pkg))?.[1] ?? 'other';
  if (url.startsWith('node:')) return 'node';
  if (url.includes('/api/src/') || url.includes('/libs/')) return 'project';
  return 'other';
}

function label(node: ProfileNode): string {
  const { functionName, url, lineNumber } = node.callFrame;
  const file = url
    .replace(/^.*node_modules\//, '')
    .replace(/^.*\/dist\/api\//, '')
    .replace(/^file:\/\//, '');
  return file ? `${functionName || '(anonymous)'} ${file}:${lineNumber + 1}` : functionName || '(native)';
}

/** Self time per node within the window, then merged into one tree of distinct call paths. */
export function buildTree(profile: CpuProfile, fromS = 0, toS = Infinity): Frame {
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const self = new Map<number, number>();
  let elapsed = 0;
  profile.samples.forEach((id, i) => {
    elapsed += profile.timeDeltas[i] ?? 0;
    if (elapsed < fromS * 1e6 || elapsed > toS * 1e6) return;
    self.set(id, (self.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0));
  });
  const root: Frame = { name: 'all', category: 'other', self: 0, total: 0, children: new Map() };
  const walk = (nodeId: number, into: Frame) => {
    const node = byId.get(nodeId)!;
    const name = node.callFrame.functionName;
    if (name === '(idle)' || name === '(program)') return;
    const key = label(node);
    let frame = into.children.get(key);
    if (!frame) {
      frame = {
        name: key,
        category: categoryOf(node.callFrame.url, name),
        self: 0,
        total: 0,
        children: new Map(),
      };
      into.children.set(key, frame);
    }
    frame.self += self.get(nodeId) ?? 0;
    for (const child of node.children ?? []) walk(child, frame);
  };
  const top = profile.nodes[0];
  for (const child of top.children ?? []) walk(child, root);
  const sum = (frame: Frame): number => {
    frame.total = frame.self + [...frame.children.values()].reduce((acc, child) => acc + sum(child), 0);
    return frame.total;
  };
  sum(root);
  return root;
}

const escapeXml = (text: string) =>
  text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

export function renderSvg(root: Frame, title: string): string {
  const width = 1400;
  const rowHeight = 17;
  const minWidth = 0.5;
  let depth = 0;
  const rects: string[] = [];
  const place = (frame: Frame, x: number, level: number) => {
    const w = (frame.total / root.total) * width;
    if (w < minWidth) return;
    depth = Math.max(depth, level);
    rects.push(
      JSON.stringify({
        x,
        w,
        level,
        name: frame.name,
        share: frame.total / root.total,
        color: COLORS[frame.category],
      }),
    );
    let childX = x;
    for (const child of [...frame.children.values()].sort((a, b) => b.total - a.total)) {
      place(child, childX, level + 1);
      childX += (child.total / root.total) * width;
    }
  };
  place(root, 0, 0);
  const top = 40;
  const height = top + (depth + 1) * rowHeight + 40;
  const body = rects
    .map(
      (json) =>
        JSON.parse(json) as {
          x: number;
          w: number;
          level: number;
          name: string;
          share: number;
          color: string;
        },
    )
    .map(({ x, w, level, name, share, color }) => {
      const y = height - 40 - (level + 1) * rowHeight;
      const text = w > 40 ? escapeXml(name.slice(0, Math.floor(w / 6.5))) : '';
      return `<g><title>${escapeXml(name)} — ${(share * 100).toFixed(1)}%</title><rect x="${x.toFixed(1)}" y="${y}" width="${Math.max(w - 0.5, 0.1).toFixed(1)}" height="${rowHeight - 1}" fill="${color}" rx="1"/>${text ? `<text x="${(x + 3).toFixed(1)}" y="${y + 12}">${text}</text>` : ''}</g>`;
    })
    .join('\n');
  const legend = (Object.entries(COLORS) as [Category, string][])
    .map(
      ([category, color], i) =>
        `<rect x="${10 + i * 120}" y="${height - 22}" width="12" height="12" fill="${color}"/><text x="${26 + i * 120}" y="${height - 12}">${category}</text>`,
    )
    .join('');
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="monospace" font-size="11">
<rect width="100%" height="100%" fill="#ffffff"/>
<text x="10" y="20" font-size="14">${escapeXml(title)}</text>
<text x="10" y="34" fill="#555">width = share of the process's non-idle samples (${(root.total / 1000).toFixed(0)} ms); hover for names</text>
${body}
${legend}
</svg>
`;
}

function main(): void {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: { from: { type: 'string' }, to: { type: 'string' }, title: { type: 'string' } },
  });
  const [input, output] = positionals;
  if (!input || !output) {
    process.stderr.write(
      'usage: flamegraph <profile.cpuprofile> <out.svg> [--from S] [--to S] [--title T]\n',
    );
    process.exit(2);
  }
  const profile = JSON.parse(readFileSync(input, 'utf8')) as CpuProfile;
  const tree = buildTree(profile, Number(values.from ?? 0), values.to ? Number(values.to) : Infinity);
  writeFileSync(output, renderSvg(tree, values.title ?? input));
}

if (require.main === module) main();
