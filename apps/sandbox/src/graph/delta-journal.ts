// What changed in the tenant, in order: the memory users/delta reads from. Every change to a user is
// an entry with a sequence number; a deltaLink remembers the number it was issued at, and the next
// round reports each user changed after it once, as it is now (learn.microsoft.com/graph/delta-query-overview:
// "Updated instances are represented by their id with at least the properties that have been updated").
// A reset starts a new generation: links from before it name a sync state that no longer exists.

export type ChangeKind = 'created' | 'updated' | 'deleted' | 'restored' | 'purged';

interface Entry {
  seq: number;
  id: string;
  kind: ChangeKind;
  props: readonly string[];
}

/** One user's changes within (from, to]: which properties, and whether it appeared (created or restored). */
export interface UserChange {
  id: string;
  /** The last of its entries in the window: rounds page in this order. */
  seq: number;
  props: Set<string>;
  appeared: boolean;
  removed: boolean;
}

export class ChangeJournal {
  private entries: Entry[] = [];
  private seq = 0;
  private gen = 1;

  /** The sequence number of the latest change (0 before any). */
  get head(): number {
    return this.seq;
  }

  get generation(): number {
    return this.gen;
  }

  record(id: string, kind: ChangeKind, props: readonly string[] = []): void {
    this.entries.push({ seq: ++this.seq, id, kind, props });
  }

  /** Each user changed in (from, to], its changes merged, in the order of its last change. */
  between(from: number, to: number): UserChange[] {
    const byId = new Map<string, UserChange>();
    for (let i = this.firstAfter(from); i < this.entries.length && this.entries[i].seq <= to; i++) {
      const e = this.entries[i];
      const c = byId.get(e.id) ?? { id: e.id, seq: e.seq, props: new Set(), appeared: false, removed: false };
      c.seq = e.seq;
      for (const p of e.props) c.props.add(p);
      if (e.kind === 'created' || e.kind === 'restored') c.appeared = true;
      if (e.kind === 'deleted' || e.kind === 'purged') c.removed = true;
      byId.delete(e.id);
      byId.set(e.id, c);
    }
    return [...byId.values()];
  }

  /** Forgets everything: a new generation, whose links do not know the old ones. */
  reset(): void {
    this.entries = [];
    this.gen++;
  }

  /** Index of the first entry with seq > from (entries are in seq order). */
  private firstAfter(from: number): number {
    let lo = 0;
    let hi = this.entries.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.entries[mid].seq <= from) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }
}
