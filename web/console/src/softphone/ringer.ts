/**
 * A ring tone made in the browser (no audio file to fetch): 440+480 Hz, two seconds on, four off,
 * the North American ring cadence volunteers know from a phone.
 */
export class Ringer {
  private context: AudioContext | undefined;
  private timer: ReturnType<typeof setInterval> | undefined;

  start(): void {
    if (this.timer !== undefined) return;
    try {
      this.context ??= new AudioContext();
    } catch {
      return;
    }
    const ring = () => {
      const context = this.context;
      if (!context) return;
      const gain = context.createGain();
      gain.gain.value = 0.08;
      gain.connect(context.destination);
      for (const hz of [440, 480]) {
        const tone = context.createOscillator();
        tone.frequency.value = hz;
        tone.connect(gain);
        tone.start();
        tone.stop(context.currentTime + 2);
      }
    };
    ring();
    this.timer = setInterval(ring, 6000);
  }

  stop(): void {
    if (this.timer !== undefined) clearInterval(this.timer);
    this.timer = undefined;
  }
}
