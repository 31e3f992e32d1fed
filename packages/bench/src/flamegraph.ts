/**
 * Flame graph SVG of a V8 CPU profile, drawn by d3-flame-graph (rendered
 * server-side in a linkedom document) and saved as a standalone SVG file.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { basename, dirname, join } from 'node:path';
import { type CpuProfile, sampleDurations } from './profile-data';

/** d3-flame-graph's input: a tree with inclusive values. */
interface FlameNode {
  name: string;
  value: number;
  children: FlameNode[];
}

/** Converts a CPU profile into a tree of inclusive sample time (µs). */
export function flameTree(profile: CpuProfile): FlameNode {
  const self = new Map<number, number>();
  const durations = sampleDurations(profile);
  for (let i = 0; i < profile.samples.length; i++) {
    const id = profile.samples[i];
    self.set(id, (self.get(id) ?? 0) + durations[i]);
  }
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const build = (id: number): FlameNode => {
    const n = byId.get(id);
    if (!n) throw new Error(`profile node ${id} missing`);
    const f = n.callFrame;
    const where = f.url ? ` ${basename(f.url)}:${f.lineNumber + 1}` : '';
    const children = (n.children ?? []).map(build).filter((c) => c.value > 0);
    const value = (self.get(id) ?? 0) + children.reduce((a, c) => a + c.value, 0);
    return { name: `${f.functionName || '(anonymous)'}${where}`, value, children };
  };
  return build(profile.nodes[0].id);
}

/**
 * Renders the flame graph SVG (1,600 px wide) of `profile`.
 * @param title - text drawn at the top of the graph.
 */
export async function flameGraphSvg(profile: CpuProfile, title: string): Promise<string> {
  const require = createRequire(import.meta.url);
  const { parseHTML } = require('linkedom') as typeof import('linkedom');
  const { window, document } = parseHTML(
    '<!doctype html><html><body><div id="chart"></div></body></html>',
  );
  const g = globalThis as Record<string, unknown>;
  const saved = { window: g.window, document: g.document };
  g.window = window;
  g.document = document;
  try {
    // The UMD build (the ESM build imports a .css file Node cannot load).
    const { select } = require('d3-selection') as D3Selection;
    const fg = require('d3-flame-graph') as { default: () => FlameChart };
    const tree = flameTree(profile);
    const total = tree.value || 1;
    const chart = fg
      .default()
      .label(
        (d) =>
          `${d.data.name} (${((100 * d.value) / total).toFixed(1)}%, ${(d.value / 1000).toFixed(1)} ms)`,
      )
      .width(1600)
      .cellHeight(18)
      .transitionDuration(0)
      .minFrameSize(1)
      .sort(true)
      .title(title);
    select(document.getElementById('chart')).datum(tree).call(chart);
    // Bars grow in a 250 ms d3 transition; let it finish before serialising.
    await new Promise((r) => setTimeout(r, 600));
    const svg = document.querySelector('svg');
    if (!svg) throw new Error('d3-flame-graph drew no <svg>');
    const cssPath = join(dirname(require.resolve('d3-flame-graph')), 'd3-flamegraph.css');
    const css = readFileSync(cssPath, 'utf8');
    return `<?xml version="1.0" encoding="UTF-8"?>\n${svg
      .toString()
      .replace('<svg ', '<svg xmlns="http://www.w3.org/2000/svg" ')
      .replace(/<div /g, '<div xmlns="http://www.w3.org/1999/xhtml" ')
      .replace(/(<svg[^>]*>)/, `$1<style>${css}</style>`)}\n`;
  } finally {
    g.window = saved.window;
    g.document = saved.document;
  }
}

/** The part of d3-flame-graph's chart API used here. */
interface FlameChart {
  (selection: unknown): void;
  width(w: number): FlameChart;
  cellHeight(h: number): FlameChart;
  transitionDuration(ms: number): FlameChart;
  minFrameSize(px: number): FlameChart;
  sort(on: boolean): FlameChart;
  title(t: string): FlameChart;
  label(fn: (d: { data: FlameNode; value: number }) => string): FlameChart;
}

/** The part of d3-selection used here (it ships no type declarations). */
interface D3Selection {
  select(node: unknown): { datum(d: unknown): { call(chart: FlameChart): unknown } };
}
