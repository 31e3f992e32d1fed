#!/usr/bin/env node
// `npm run bench:ab -- <rev> [--rounds N] [--engines a,b]`: W1 throughput of
// this working tree against another commit, interleaved. Each round runs the
// other build, then this one (the order swaps every round), each in its own
// process, so drift on a shared machine hits both alike; the figures are
// per-run medians of 3 fresh books and the summary compares medians across
// rounds. Writes bench-results/ab-<rev>-<time>.md.
//
// `--interleaved [--book w1|100k|1m] [--processes N]`: the binary batch path
// only, both builds in one process taking turns a few command buffers at a
// time (scripts/ab-interleaved-run.mjs), in N processes that swap which build
// loads first. Finer than whole runs: it shows a few percent that run-to-run
// drift on a shared machine hides, and it reaches the big-book sizes.
import { execFileSync } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { cpuModel, fileStamp } from './bench-helpers.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const argv = process.argv.slice(2);
const { values, positionals } = parseArgs({
  args: argv[0] === '--' ? argv.slice(1) : argv,
  allowPositionals: true,
  options: {
    rounds: { type: 'string', default: '5' },
    engines: { type: 'string', default: 'wasm-binary,wasm-apply,wasm-submit,wasm-order' },
    interleaved: { type: 'boolean', default: false },
    book: { type: 'string', default: 'w1' },
    processes: { type: 'string', default: '6' },
  },
});
const rev = positionals[0];
if (!rev) {
  console.error(
    'usage: npm run bench:ab -- <git revision> [--rounds N] [--engines a,b]\n' +
      '       npm run bench:ab -- <git revision> --interleaved [--book w1|100k|1m] [--processes N]',
  );
  process.exit(2);
}
const rounds = Number(values.rounds);
const run = (cmd, args, cwd) => execFileSync(cmd, args, { cwd, stdio: 'inherit' });
const git = (...args) => execFileSync('git', args, { cwd: root, encoding: 'utf8' }).trim();

const median = (a) => {
  const s = [...a].sort((x, y) => x - y);
  const h = s.length >> 1;
  return s.length % 2 === 1 ? s[h] : (s[h - 1] + s[h]) / 2;
};
const m = (x) => `${(x / 1e6).toFixed(2)}M`;

/** `processes` interleaved runs of the two builds' dist folders; the report's text. */
function interleaved(otherRoot, thisRoot, processes) {
  const dist = (r) => join(r, 'packages/core/dist');
  const rows = [];
  for (let p = 0; p < processes; p++) {
    // swap which build loads (and so is placed in memory) first
    const first = p % 2 === 0;
    const [x, y] = first ? [otherRoot, thisRoot] : [thisRoot, otherRoot];
    const line = execFileSync(
      'node',
      ['--expose-gc', join(root, 'scripts/ab-interleaved-run.mjs'), dist(x), dist(y), values.book],
      { encoding: 'utf8' },
    );
    const r = JSON.parse(line.trim().split('\n').at(-1));
    const [before, after] = first ? [r.a, r.b] : [r.b, r.a];
    rows.push({ before, after, ratio: after / before });
    console.log(
      `process ${p + 1}/${processes}: ${m(before)} -> ${m(after)} (${(after / before).toFixed(3)})`,
    );
  }
  const cpu = cpuModel();
  return `${[
    `# A/B, interleaved: ${here} against ${commit}`,
    '',
    `Machine: ${cpu} · Node ${process.version} · W1 flow on the binary batch path, book size \`${values.book}\`.`,
    '',
    `Method: \`npm run bench:ab -- ${rev} --interleaved --book ${values.book} --processes ${processes}\`: in each process both builds run the same stream on their own book, 4 command buffers at a time in turn; the processes alternate which build loads first.`,
    '',
    `| process | ${commit} | ${here} | ${here} ÷ ${commit} |`,
    '|---|---|---|---|',
    ...rows.map((r, i) => `| ${i + 1} | ${m(r.before)} | ${m(r.after)} | ${r.ratio.toFixed(3)} |`),
    '',
    `Median ratio: **${median(rows.map((r) => r.ratio)).toFixed(3)}**.`,
  ].join('\n')}\n`;
}

/** Whole-run rounds: each build in its own process per run, over the W1 paths. */
function wholeRuns(builds, stamp) {
  for (let r = 0; r < rounds; r++) {
    const order = r % 2 === 0 ? [commit, here] : [here, commit];
    for (const name of order) {
      const dir = join(out, `${r}-${name.replace(/\W+/g, '_')}`);
      mkdirSync(dir);
      console.log(`round ${r + 1}/${rounds}: ${name}`);
      execFileSync(
        'node',
        [
          'packages/bench/dist/cli.js',
          '--engines',
          values.engines,
          '--skip',
          'latency,micro,scaling,memory,durability,threads,ids,profile',
          '--runs',
          '3',
          '--out',
          dir,
        ],
        { cwd: builds[name], stdio: 'ignore' },
      );
    }
  }

  // per path: each round's median orders/s, per build
  const rows = new Map();
  let machine;
  for (const d of readdirSync(out)) {
    const name = d.endsWith(here.replace(/\W+/g, '_')) ? here : commit;
    for (const f of readdirSync(join(out, d)).filter((x) => x.endsWith('.json'))) {
      const result = JSON.parse(readFileSync(join(out, d, f), 'utf8'));
      machine = result.machine;
      for (const w of result.w1) {
        if (!rows.has(w.label)) rows.set(w.label, { [commit]: [], [here]: [] });
        rows.get(w.label)[name].push(w.opsPerSec.median);
      }
    }
  }
  const lines = [
    `# A/B: ${here} against ${commit}`,
    '',
    `Machine: ${machine.cpuModel}, ${machine.cores} cores · Node ${machine.node} (V8 ${machine.v8}) · W1, 1,000,000 operations.`,
    '',
    `Method: \`npm run bench:ab -- ${rev} --rounds ${rounds}\`: ${rounds} rounds, the two builds alternating (the order swaps every round), one process per run, each figure that run's median of 3 fresh books.`,
    '',
    `| path | ${commit} | ${here} | median ${here} ÷ ${commit} |`,
    '|---|---|---|---|',
  ];
  for (const [label, v] of rows) {
    const ratio = (median(v[here]) / median(v[commit])).toFixed(3);
    lines.push(
      `| ${label} | ${v[commit].map(m).join(' ')} | ${v[here].map(m).join(' ')} | ${ratio} |`,
    );
  }
  const file = join(root, 'bench-results', `ab-${commit}-${stamp}Z.md`);
  writeFileSync(file, `${lines.join('\n')}\n`);
  console.log(`\n${lines.join('\n')}\n\nwritten: ${file}`);
}

const commit = git('rev-parse', '--short', rev);
const here = `${git('rev-parse', '--short', 'HEAD')}${git('status', '--porcelain') ? ' + changes' : ''}`;
const other = join(tmpdir(), `tickbook-ab-${commit}`);
const out = mkdtempSync(join(tmpdir(), 'tickbook-ab-results-'));
try {
  if (!existsSync(other)) git('worktree', 'add', '--detach', other, commit);
  console.log(`building ${commit} in ${other}`);
  run('pnpm', ['install', '--frozen-lockfile', '--prefer-offline'], other);
  run('pnpm', ['run', 'build'], other);
  console.log('building this tree');
  run('pnpm', ['run', 'build'], root);

  const builds = { [commit]: other, [here]: root };
  const stamp = fileStamp();
  if (values.interleaved) {
    const file = join(root, 'bench-results', `ab-${commit}-${values.book}-${stamp}Z.md`);
    const text = interleaved(builds[commit], root, Number(values.processes));
    writeFileSync(file, text);
    console.log(`\n${text}\nwritten: ${file}`);
  } else {
    wholeRuns(builds, stamp);
  }
} finally {
  rmSync(out, { recursive: true, force: true });
  if (existsSync(other)) git('worktree', 'remove', '--force', other);
}
