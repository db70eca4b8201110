/**
 * Progress display: a cli-progress bar (step, losses, it/s, ETA) on a TTY; plain log lines
 * (every ~5% of the run or 15 s) when stderr is not a TTY or `CI` is set.
 */
import cliProgress from 'cli-progress';

export interface Progress {
  update(step: number, losses: Record<string, number>, itPerSec: number): void;
  log(line: string): void;
  stop(): void;
}

function fmtLosses(losses: Record<string, number>): string {
  return Object.entries(losses)
    .map(([k, v]) => `${k} ${Math.abs(v) >= 1e-3 && Math.abs(v) < 1e4 ? v.toFixed(4) : v.toExponential(3)}`)
    .join(' | ');
}

function fmtEta(s: number): string {
  if (!Number.isFinite(s)) return '?';
  const m = Math.floor(s / 60);
  const r = Math.round(s % 60);
  return m > 0 ? `${m}m${String(r).padStart(2, '0')}s` : `${r}s`;
}

/** Creates the progress display for `total` steps starting at `start`. `quiet` prints nothing. */
export function createProgress(total: number, start: number, options: { quiet?: boolean; plain?: boolean } = {}): Progress {
  const out = process.stderr;
  if (options.quiet === true) return { update() {}, log() {}, stop() {} };
  const plain = options.plain ?? (!out.isTTY || process.env['CI'] !== undefined);
  if (plain) {
    const every = Math.max(1, Math.round((total - start) / 20));
    let lastTime = 0;
    return {
      update(step, losses, itPerSec) {
        const now = Date.now();
        if (step === total || (step - start) % every === 0 || now - lastTime > 15_000) {
          lastTime = now;
          const eta = itPerSec > 0 ? (total - step) / itPerSec : Infinity;
          out.write(`step ${step}/${total} | ${fmtLosses(losses)} | ${itPerSec.toFixed(2)} it/s | ETA ${fmtEta(eta)}\n`);
        }
      },
      log(line) {
        out.write(`${line}\n`);
      },
      stop() {},
    };
  }
  const bar = new cliProgress.SingleBar(
    {
      format: 'train [{bar}] {value}/{total} | {losses} | {speed} it/s | ETA {eta_formatted}',
      stream: out,
      hideCursor: true,
      etaBuffer: 50,
      fps: 5,
    },
    cliProgress.Presets.shades_classic,
  );
  bar.start(total, start, { losses: '', speed: '0.00' });
  return {
    update(step, losses, itPerSec) {
      bar.update(step, { losses: fmtLosses(losses), speed: itPerSec.toFixed(2) });
    },
    log(line) {
      // Print above the bar.
      out.write(`\r\x1b[K${line}\n`);
      bar.render();
    },
    stop() {
      bar.stop();
    },
  };
}
