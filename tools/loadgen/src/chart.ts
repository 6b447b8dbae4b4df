export interface Series {
  name: string;
  /** [offered deliveries/s, p99 ms] */
  points: [number, number][];
}

const COLORS = ['#1f6feb', '#d1242f', '#1a7f37', '#9a6700', '#8250df'];

/** Latency p99 against offered load, one line per target: a dependency-free SVG. */
export function latencyChart(series: Series[], title: string): string {
  const width = 760;
  const height = 420;
  const margin = { left: 70, right: 180, top: 40, bottom: 50 };
  const all = series.flatMap((s) => s.points).filter(([x, y]) => Number.isFinite(x) && Number.isFinite(y));
  const maxX = Math.max(1, ...all.map(([x]) => x));
  const maxY = Math.max(1, ...all.map(([, y]) => y));
  // Latency spans decades near the knee: a log scale keeps the low-load region readable.
  const minY = Math.max(0.1, Math.min(...all.map(([, y]) => y), 1));
  const x = (v: number) => margin.left + (v / maxX) * (width - margin.left - margin.right);
  const y = (v: number) =>
    height -
    margin.bottom -
    ((Math.log10(Math.max(v, minY)) - Math.log10(minY)) / (Math.log10(maxY) - Math.log10(minY) || 1)) *
      (height - margin.top - margin.bottom);
  const ticksY = [0.1, 0.3, 1, 3, 10, 30, 100, 300, 1000, 3000, 10000].filter(
    (t) => t >= minY && t <= maxY * 1.01,
  );
  const ticksX = Array.from({ length: 6 }, (_, i) => (maxX * i) / 5);
  const parts = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" font-family="system-ui, sans-serif" font-size="12">`,
    `<rect width="100%" height="100%" fill="#fff"/>`,
    `<text x="${width / 2 - 90}" y="22" font-size="15" font-weight="600">${escape(title)}</text>`,
    ...ticksY.map(
      (t) =>
        `<line x1="${margin.left}" x2="${width - margin.right}" y1="${y(t)}" y2="${y(t)}" stroke="#eee"/><text x="${margin.left - 8}" y="${y(t) + 4}" text-anchor="end">${t}</text>`,
    ),
    ...ticksX.map(
      (t) =>
        `<text x="${x(t)}" y="${height - margin.bottom + 18}" text-anchor="middle">${Math.round(t / 1000)}k</text>`,
    ),
    `<line x1="${margin.left}" x2="${margin.left}" y1="${margin.top}" y2="${height - margin.bottom}" stroke="#888"/>`,
    `<line x1="${margin.left}" x2="${width - margin.right}" y1="${height - margin.bottom}" y2="${height - margin.bottom}" stroke="#888"/>`,
    `<text x="${(width - margin.right + margin.left) / 2}" y="${height - 12}" text-anchor="middle">offered deliveries/s</text>`,
    `<text transform="translate(18 ${height / 2}) rotate(-90)" text-anchor="middle">p99 latency, ms (log)</text>`,
  ];
  series.forEach((s, i) => {
    const color = COLORS[i % COLORS.length];
    const points = s.points.filter(([px, py]) => Number.isFinite(px) && Number.isFinite(py));
    parts.push(
      `<polyline fill="none" stroke="${color}" stroke-width="2" points="${points.map(([px, py]) => `${x(px).toFixed(1)},${y(py).toFixed(1)}`).join(' ')}"/>`,
    );
    for (const [px, py] of points)
      parts.push(`<circle cx="${x(px).toFixed(1)}" cy="${y(py).toFixed(1)}" r="3" fill="${color}"/>`);
    parts.push(
      `<rect x="${width - margin.right + 16}" y="${margin.top + i * 22}" width="14" height="4" fill="${color}"/><text x="${width - margin.right + 36}" y="${margin.top + i * 22 + 6}">${escape(s.name)}</text>`,
    );
  });
  parts.push('</svg>');
  return parts.join('\n');
}

function escape(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}
