/**
 * The cost of safe CSV cells: 100,000 export-shaped rows (13 columns, a third of the titles
 * formula-like) written by plain csv-stringify with the export's former options (the baseline)
 * and by csvStringifier (every field quoted, formula-like text prefixed), alternately, in the
 * same run; prints the median of 5 runs of each and the output sizes.
 *
 *   TS_NODE_TRANSPILE_ONLY=1 node -r ts-node/register -r tsconfig-paths/register bench/csv-cells.bench.ts
 */
import { stringify, type Stringifier } from 'csv-stringify';
import { csvStringifier } from '@kelisim/platform';

const ROWS = 100_000;
const RUNS = 5;
const COLUMNS = ['commitmentId', 'title', 'clauseRef', 'origin', 'leadParty', 'otherParties', 'target'];
const MORE = ['commitmentStatus', 'date', 'status', 'completedAt', 'late', 'reports'];
const TITLES = ['Совместные мероприятия по укреплению единства', '=HYPERLINK("http://evil","x")', 'Обмен опытом'];

const rows = Array.from({ length: ROWS }, (_, i) => ({
  commitmentId: `0b6b0f5e-8d4d-4d1e-9a55-${String(i).padStart(12, '0')}`,
  title: TITLES[i % 3],
  clauseRef: 'п. 2.1',
  origin: 'text',
  leadParty: '«Қоғамдық келісім»',
  otherParties: 'Жас Отан; Жас Ұлан',
  target: '4 совместных мероприятия в год',
  commitmentStatus: 'active',
  date: '2022-09-28',
  status: i % 2 ? 'completed' : 'open',
  completedAt: i % 2 ? '2022-09-27T10:00:00.000Z' : null,
  late: i % 5 === 0,
  reports: i % 4,
}));

async function time(make: () => Stringifier): Promise<{ ms: number; bytes: number }> {
  const csv = make();
  let bytes = 0;
  csv.on('data', (c: Buffer) => (bytes += c.length));
  const done = new Promise((resolve) => csv.on('end', resolve));
  const start = process.hrtime.bigint();
  for (const r of rows) csv.write(r);
  csv.end();
  await done;
  return { ms: Number(process.hrtime.bigint() - start) / 1e6, bytes };
}

const options = {
  header: true,
  bom: true,
  columns: [...COLUMNS, ...MORE],
  cast: { boolean: (b: boolean) => (b ? 'yes' : 'no') },
};
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

async function main() {
  const plain: number[] = [];
  const safe: number[] = [];
  let sizes = { plain: 0, safe: 0 };
  for (let i = 0; i < RUNS; i++) {
    const a = await time(() => stringify(options));
    const b = await time(() => csvStringifier(options));
    plain.push(a.ms);
    safe.push(b.ms);
    sizes = { plain: a.bytes, safe: b.bytes };
  }
  console.log(`${ROWS} rows, median of ${RUNS}:`);
  console.log(`  baseline csv-stringify: ${median(plain).toFixed(0)} ms, ${sizes.plain} bytes`);
  console.log(`  csvStringifier:         ${median(safe).toFixed(0)} ms, ${sizes.safe} bytes`);
}

void main();
