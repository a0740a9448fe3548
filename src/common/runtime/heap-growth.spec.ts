import { HEAP_GROWING_PERCENT, heapGrowthFlag } from './heap-growth.js';

describe('heapGrowthFlag', () => {
  it('sets the growing percent when node was not told one', () => {
    expect(heapGrowthFlag([], undefined)).toBe(`--heap-growing-percent=${HEAP_GROWING_PERCENT}`);
    expect(heapGrowthFlag(['--enable-source-maps'], '--max-old-space-size=4096')).toBe(`--heap-growing-percent=${HEAP_GROWING_PERCENT}`);
  });

  it('leaves a value from the command line or NODE_OPTIONS alone, in either spelling', () => {
    expect(heapGrowthFlag(['--heap-growing-percent=20'], undefined)).toBeNull();
    expect(heapGrowthFlag([], '--enable-source-maps --heap_growing_percent=100')).toBeNull();
  });

  it('is not fooled by a flag that only starts the same way', () => {
    expect(heapGrowthFlag(['--heap-growing-percentage=1'], undefined)).toBe(`--heap-growing-percent=${HEAP_GROWING_PERCENT}`);
  });
});
