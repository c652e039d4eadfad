import cliProgress from 'cli-progress';

/** A progress bar on stderr for long work; silent when stderr is not a terminal. */
export function progressBar(label: string): { start(total: number): void; advance(count: number): void; stop(): void } {
  const bar = new cliProgress.SingleBar(
    { format: `${label} [{bar}] {percentage}% | {value}/{total} | {eta_formatted} left`, hideCursor: true, stream: process.stderr, noTTYOutput: false },
    cliProgress.Presets.shades_classic,
  );
  let started = false;
  return {
    start(total) {
      started = true;
      bar.start(total, 0);
    },
    advance(count) {
      if (started) bar.increment(count);
    },
    stop() {
      if (started) bar.stop();
    },
  };
}
