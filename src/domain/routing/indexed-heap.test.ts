import { describe, expect, it } from 'vitest';
import { IndexedHeap } from './indexed-heap';

interface Item {
  id: string;
  rank: number;
}

describe('IndexedHeap', () => {
  it('pops in order after random pushes and removals by key', () => {
    let seed = 7;
    const random = () => (seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648) / 2_147_483_648;
    const heap = new IndexedHeap<Item>(
      (item) => item.id,
      (a, b) => a.rank < b.rank || (a.rank === b.rank && a.id < b.id),
    );
    const model = new Map<string, Item>();
    for (let step = 0; step < 5_000; step += 1) {
      const id = `k${Math.floor(random() * 300)}`;
      const existing = model.get(id);
      if (existing === undefined) {
        const item = { id, rank: Math.floor(random() * 50) };
        heap.push(item);
        model.set(id, item);
      } else {
        expect(heap.remove(existing)).toBe(true);
        model.delete(id);
      }
      expect(heap.size).toBe(model.size);
    }
    const expected = [...model.values()].sort((a, b) => a.rank - b.rank || (a.id < b.id ? -1 : 1)).map((i) => i.id);
    const popped: string[] = [];
    for (let item = heap.pop(); item !== undefined; item = heap.pop()) popped.push(item.id);
    expect(popped).toEqual(expected);
  });

  it('finds the first accepted item and leaves every item in place', () => {
    const heap = new IndexedHeap<Item>(
      (item) => item.id,
      (a, b) => a.rank < b.rank,
    );
    for (const [id, rank] of [
      ['a', 1],
      ['b', 2],
      ['c', 3],
      ['d', 4],
    ] as const)
      heap.push({ id, rank });
    expect(heap.peekWhere((item) => item.id !== 'a' && item.id !== 'b')?.id).toBe('c');
    expect(heap.peekWhere(() => false)).toBeUndefined();
    expect(heap.size).toBe(4);
    expect(heap.peek()?.id).toBe('a');
  });
});
