import cliProgress from 'cli-progress';

/** A progress bar on stderr for long work; silent when stderr is not a terminal. */
export function progressBar(
  label: string,
  options: { unit?: 'count' | 'bytes' } = {},
): { start(total: number): void; advance(count: number): void; update(value: number, note?: string): void; progress(value: number, total: number, note?: string): void; stop(): void } {
  const value = options.unit === 'bytes' ? '{valueMB}/{totalMB} MB' : '{value}/{total}';
  const bar = new cliProgress.SingleBar(
    { format: `${label} [{bar}] {percentage}% | ${value} | {note}{eta_formatted} left`, hideCursor: true, stream: process.stderr, noTTYOutput: false },
    cliProgress.Presets.shades_classic,
  );
  const payload = (current: number, total: number, note = '') => ({
    valueMB: (current / 1e6).toFixed(1),
    totalMB: (total / 1e6).toFixed(1),
    note: note === '' ? '' : `${note} | `,
  });
  let started = false;
  let total = 0;
  return {
    start(newTotal) {
      started = true;
      total = newTotal;
      bar.start(newTotal, 0, payload(0, newTotal));
    },
    advance(count) {
      if (started) bar.increment(count);
    },
    update(current, note) {
      if (started) bar.update(current, payload(current, total, note));
    },
    /** For work that learns its total with its first report: starts the bar then, and updates it. */
    progress(current, newTotal, note) {
      if (!started) this.start(newTotal);
      this.update(current, note);
    },
    stop() {
      if (started) bar.stop();
    },
  };
}
