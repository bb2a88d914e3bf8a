/**
 * The terminal sink's one-line spinner with elapsed time. Private to lib/render.
 *
 * @module
 */

const FRAMES = ["⠋", "⠙", "⠹", "⠸", "⠼", "⠴", "⠦", "⠧", "⠇", "⠏"];

/** A one-line spinner with elapsed time; does nothing off a terminal. */
export class Spinner {
  #timer: ReturnType<typeof setInterval> | undefined;
  #write: (text: string) => void;
  #tty: boolean;
  constructor(write: (text: string) => void, tty: boolean) {
    this.#write = write;
    this.#tty = tty;
  }
  start(label: string): void {
    this.stop();
    if (!this.#tty) return;
    const started = Date.now();
    let frame = 0;
    const draw = () => {
      const secs = ((Date.now() - started) / 1000).toFixed(1);
      this.#write(`\r\x1b[2K${FRAMES[frame++ % FRAMES.length]} ${label} ${secs} s`);
    };
    draw();
    this.#timer = setInterval(draw, 100);
  }
  stop(): void {
    if (this.#timer === undefined) return;
    clearInterval(this.#timer);
    this.#timer = undefined;
    this.#write("\r\x1b[2K");
  }
}
