// Median, min and max of repeated measurements, and their ratio to a baseline. Pure.

/** A measurement repeated over rounds. */
export interface Summary {
  readonly median: number;
  readonly min: number;
  readonly max: number;
  readonly n: number;
  readonly values: readonly number[];
}

/** Median, min and max of the finite values (NaN for all three when there are none). */
export function summarize(values: readonly number[]): Summary {
  const sorted = values.filter(Number.isFinite).sort((a, b) => a - b);
  const n = sorted.length;
  if (n === 0) return { median: Number.NaN, min: Number.NaN, max: Number.NaN, n, values };
  const mid = Math.floor(n / 2);
  const median =
    n % 2 === 1 ? (sorted[mid] as number) : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
  return { median, min: sorted[0] as number, max: sorted[n - 1] as number, n, values };
}

/** Ratio of two medians. */
export function ratio(value: Summary, base: Summary): number {
  return value.median / base.median;
}

/** Groups values by key, keeping insertion order. */
export class Samples {
  private readonly byKey = new Map<string, Map<string, number[]>>();

  add(key: string, metric: string, value: number): void {
    let metrics = this.byKey.get(key);
    if (metrics === undefined) {
      metrics = new Map();
      this.byKey.set(key, metrics);
    }
    const list = metrics.get(metric) ?? [];
    list.push(value);
    metrics.set(metric, list);
  }

  get(key: string, metric: string): Summary {
    return summarize(this.byKey.get(key)?.get(metric) ?? []);
  }
}
