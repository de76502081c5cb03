/** A binary min-heap of task ids keyed by when they are next due (ms since epoch). */
export class DueQueue {
  private readonly heap: Array<{ id: string; dueAt: number }> = [];

  get size(): number {
    return this.heap.length;
  }

  peek(): { id: string; dueAt: number } | undefined {
    return this.heap[0];
  }

  push(id: string, dueAt: number): void {
    this.heap.push({ id, dueAt });
    let i = this.heap.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (this.heap[parent].dueAt <= this.heap[i].dueAt) break;
      this.swap(i, parent);
      i = parent;
    }
  }

  pop(): { id: string; dueAt: number } | undefined {
    const top = this.heap[0];
    const last = this.heap.pop();
    if (this.heap.length > 0 && last) {
      this.heap[0] = last;
      let i = 0;
      for (;;) {
        const left = 2 * i + 1;
        const right = left + 1;
        let smallest = i;
        if (left < this.heap.length && this.heap[left].dueAt < this.heap[smallest].dueAt)
          smallest = left;
        if (right < this.heap.length && this.heap[right].dueAt < this.heap[smallest].dueAt)
          smallest = right;
        if (smallest === i) break;
        this.swap(i, smallest);
        i = smallest;
      }
    }
    return top;
  }

  private swap(a: number, b: number): void {
    [this.heap[a], this.heap[b]] = [this.heap[b], this.heap[a]];
  }
}
