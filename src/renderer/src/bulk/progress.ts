/** A progress reading: rows done at a moment (performance.now() milliseconds). */
export interface ProgressSample {
  at: number;
  done: number;
}

export interface ProgressFigures {
  done: number;
  percent: number;
  /** Rows per second over the recent samples. */
  rate: number;
  /** Time left as text ("1 min 20 s"), or "…" before there is a rate. */
  left: string;
}

function duration(seconds: number): string {
  if (!Number.isFinite(seconds)) return '…';
  const s = Math.max(0, Math.round(seconds));
  if (s < 60) return `${s} s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m} min ${s % 60} s`;
  return `${Math.floor(m / 60)} h ${m % 60} min`;
}

/** Done, percentage, rate and time left from the recent samples (the rate of the last ~30 readings). */
export function progressFigures(samples: readonly ProgressSample[], total: number): ProgressFigures {
  const last = samples.at(-1) ?? { at: 0, done: 0 };
  const first = samples[0] ?? last;
  const seconds = (last.at - first.at) / 1000;
  const rate = seconds > 0 ? (last.done - first.done) / seconds : 0;
  return {
    done: last.done,
    percent: total > 0 ? Math.min(100, Math.floor((last.done / total) * 100)) : 0,
    rate: Math.round(rate),
    left: rate > 0 ? duration((total - last.done) / rate) : '…',
  };
}
