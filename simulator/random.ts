// A small seeded PRNG (mulberry32). The simulator never uses Math.random: the same seed
// must give the same clusters and jobs on every run, so tests and screenshots are stable.

const ALNUM = 'abcdefghijklmnopqrstuvwxyz0123456789';

export class Rng {
  private state: number;

  constructor(seed: number) {
    this.state = seed >>> 0;
  }

  /** A float in [0, 1). */
  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  /** An integer in [min, max], both included. */
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }

  chance(probability: number): boolean {
    return this.next() < probability;
  }

  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.next() * items.length)];
  }

  /** Lower-case letters and digits, the alphabet of QingCloud resource ids. */
  alnum(length: number): string {
    let out = '';
    for (let i = 0; i < length; i++) {
      out += ALNUM[Math.floor(this.next() * ALNUM.length)];
    }
    return out;
  }
}

/** Makes `prefix-xxxxxxxx` ids, never the same one twice within one generator. */
export class IdMaker {
  private readonly used = new Set<string>();

  constructor(private readonly rng: Rng) {}

  make(prefix: string, length = 8): string {
    for (;;) {
      const id = `${prefix}-${this.rng.alnum(length)}`;
      if (!this.used.has(id)) {
        this.used.add(id);
        return id;
      }
    }
  }
}
