/** One benchmark figure, printed as a JSON line by every benchmark. */
export interface BenchLine {
  name: string;
  value: number;
  unit: string;
  baseline: number | null;
  ratio: number | null;
  peakRssMb?: number;
  [extra: string]: unknown;
}

export function printLine(line: BenchLine): void {
  process.stdout.write(`${JSON.stringify(line)}\n`);
}

export function peakRssMb(): number {
  return Math.round(process.resourceUsage().maxRSS / 1024);
}

export function round(value: number, digits = 3): number {
  const f = 10 ** digits;
  return Math.round(value * f) / f;
}
