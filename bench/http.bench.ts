import { execFileSync } from 'node:child_process';
import type { BenchResult } from './support';

/** Path of wrk, or undefined when it is not installed. */
export function wrkPath(): string | undefined {
  try {
    return execFileSync('sh', ['-c', 'command -v wrk'], { encoding: 'utf8' }).trim() || undefined;
  } catch {
    return undefined;
  }
}

/** (b) and (c): not yet written. */
export async function runHttpBench(_options: { seconds: number }): Promise<BenchResult[]> {
  return [];
}
