import { getHeapStatistics } from 'node:v8';
import { HEAP_GROWING_PERCENT, heapSizedByOperator, limitHeapGrowth } from './heap-growth';

describe('heap growth of the long-running processes', () => {
  it('leaves V8 alone when the operator sized the heap on the command line or in NODE_OPTIONS', () => {
    expect(heapSizedByOperator(['--max-old-space-size=96'])).toBe(true);
    expect(heapSizedByOperator(['--max_old_space_size=512'])).toBe(true);
    expect(heapSizedByOperator(['--heap-growing-percent=0'])).toBe(true);
    expect(heapSizedByOperator([], '--require ./x.js --max-old-space-size=2048')).toBe(true);
    expect(heapSizedByOperator([], '--max-heap-size=300')).toBe(true);
    expect(limitHeapGrowth(['--max-old-space-size=96'], '')).toBeUndefined();
  });

  it('sets the growth otherwise (other node options do not count)', () => {
    expect(heapSizedByOperator(['--enable-source-maps', '-r', 'x.js'], '--max-semi-space-size=8')).toBe(false);
    expect(heapSizedByOperator([], undefined)).toBe(false);
    expect(limitHeapGrowth([], '')).toBe(HEAP_GROWING_PERCENT);
    expect(getHeapStatistics().heap_size_limit).toBeGreaterThan(0); // the process goes on as before
  });
});
