/**
 * A set of event ids kept as 16-byte SHA-256 prefixes in one open-addressing table: about 32
 * bytes an id at most, against well over 100 for a `Set` of strings, so an archive's recent ids
 * fit in memory (1,000,000 ids: 32 MiB). Two different ids share a prefix with probability
 * 2^-128: never in practice.
 */
import { hash } from 'node:crypto';

const SLOT = 16;

export class IdSet {
  private table: Buffer;
  private slots: number;
  size = 0;

  constructor(expected = 1024) {
    this.slots = 1 << Math.max(10, Math.ceil(Math.log2(expected * 2)));
    this.table = Buffer.alloc(this.slots * SLOT);
  }

  /** Adds `id`; false when it was there already. */
  add(id: string): boolean {
    const key = hash('sha256', id, 'buffer');
    // An all-zero slot is free; the 2^-128 chance of an all-zero prefix is ignored.
    let i = key.readUInt32LE(0) & (this.slots - 1);
    for (;;) {
      const at = i * SLOT;
      if (this.isFree(at)) break;
      if (this.table.compare(key, 0, SLOT, at, at + SLOT) === 0) return false;
      i = (i + 1) & (this.slots - 1);
    }
    key.copy(this.table, i * SLOT, 0, SLOT);
    if (++this.size * 2 > this.slots) this.grow();
    return true;
  }

  has(id: string): boolean {
    const key = hash('sha256', id, 'buffer');
    for (let i = key.readUInt32LE(0) & (this.slots - 1); ; i = (i + 1) & (this.slots - 1)) {
      const at = i * SLOT;
      if (this.isFree(at)) return false;
      if (this.table.compare(key, 0, SLOT, at, at + SLOT) === 0) return true;
    }
  }

  private isFree(at: number): boolean {
    return this.table.readBigUInt64LE(at) === 0n && this.table.readBigUInt64LE(at + 8) === 0n;
  }

  private grow(): void {
    const old = this.table;
    this.slots *= 2;
    this.table = Buffer.alloc(this.slots * SLOT);
    for (let at = 0; at < old.length; at += SLOT) {
      if (old.readBigUInt64LE(at) === 0n && old.readBigUInt64LE(at + 8) === 0n) continue;
      let i = old.readUInt32LE(at) & (this.slots - 1);
      while (!this.isFree(i * SLOT)) i = (i + 1) & (this.slots - 1);
      old.copy(this.table, i * SLOT, at, at + SLOT);
    }
  }
}
