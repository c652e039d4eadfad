/**
 * A binary min-heap whose items can also be removed by key in O(log n).
 *
 * The routing core keeps several of these (free agents by idle-since, waiting calls by arrival,
 * timers by due time) so that every routing decision costs O(log n) instead of a scan or a sort
 * over all volunteers. An item's ordering fields must not change while it is in the heap: remove
 * it, change it, push it again.
 */
export class IndexedHeap<T> {
  private readonly items: T[] = [];
  private readonly positions = new Map<string, number>();
  private readonly keyOf: (item: T) => string;
  private readonly isBefore: (a: T, b: T) => boolean;

  constructor(keyOf: (item: T) => string, isBefore: (a: T, b: T) => boolean) {
    this.keyOf = keyOf;
    this.isBefore = isBefore;
  }

  /** Number of items held. */
  get size(): number {
    return this.items.length;
  }

  /** True when an item with the same key is held. */
  has(item: T): boolean {
    return this.positions.has(this.keyOf(item));
  }

  /** Adds an item; adding one whose key is already held does nothing. */
  push(item: T): void {
    const key = this.keyOf(item);
    if (this.positions.has(key)) return;
    this.items.push(item);
    this.positions.set(key, this.items.length - 1);
    this.siftUp(this.items.length - 1);
  }

  /** Removes the item with the same key; false when it was not held. */
  remove(item: T): boolean {
    const index = this.positions.get(this.keyOf(item));
    if (index === undefined) return false;
    this.removeAt(index);
    return true;
  }

  /** The first item in order, left in place. */
  peek(): T | undefined {
    return this.items[0];
  }

  /** Removes and returns the first item in order. */
  pop(): T | undefined {
    const top = this.items[0];
    if (top !== undefined) this.removeAt(0);
    return top;
  }

  /**
   * The first item in order that `accept` takes, left in place. Items refused on the way are popped
   * and pushed back, so the cost is O((k + 1) log n) for k refused items; k is small in routing
   * (the volunteers who just refused this one call).
   */
  peekWhere(accept: (item: T) => boolean): T | undefined {
    const top = this.items[0];
    if (top === undefined || accept(top)) return top;
    const refused: T[] = [];
    let found: T | undefined;
    for (let item = this.pop(); item !== undefined; item = this.pop()) {
      if (accept(item)) {
        found = item;
        break;
      }
      refused.push(item);
    }
    if (found !== undefined) this.push(found);
    for (const item of refused) this.push(item);
    return found;
  }

  private removeAt(index: number): void {
    this.positions.delete(this.keyOf(this.items[index] as T));
    const last = this.items.pop() as T;
    if (index === this.items.length) return;
    this.items[index] = last;
    this.positions.set(this.keyOf(last), index);
    this.siftDown(index);
    this.siftUp(index);
  }

  private siftUp(start: number): void {
    const items = this.items;
    let index = start;
    const item = items[index] as T;
    while (index > 0) {
      const parentIndex = (index - 1) >> 1;
      const parent = items[parentIndex] as T;
      if (!this.isBefore(item, parent)) break;
      items[index] = parent;
      this.positions.set(this.keyOf(parent), index);
      index = parentIndex;
    }
    items[index] = item;
    this.positions.set(this.keyOf(item), index);
  }

  private siftDown(start: number): void {
    const items = this.items;
    const length = items.length;
    let index = start;
    const item = items[index] as T;
    for (;;) {
      const left = 2 * index + 1;
      if (left >= length) break;
      const right = left + 1;
      let child = left;
      if (right < length && this.isBefore(items[right] as T, items[left] as T)) child = right;
      const childItem = items[child] as T;
      if (!this.isBefore(childItem, item)) break;
      items[index] = childItem;
      this.positions.set(this.keyOf(childItem), index);
      index = child;
    }
    items[index] = item;
    this.positions.set(this.keyOf(item), index);
  }
}
