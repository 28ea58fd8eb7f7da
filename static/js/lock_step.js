// Side-by-side runs in lock-step (docs/lessons.md, "Side-by-side runs"): while forks train beside the main run,
// the page plays them all itself — every round it asks each run for the same epoch (`step`, docs/protocol.md) and
// starts the next round only when all of them are there, so a comparison never shows the main run at epoch 121
// beside forks at 200. A run that is behind (a fork started or re-forked later) catches up while the others wait.
// The pace: `speed` epochs a second in rounds of about ROUND_S (at most MAX_ROUND_EPOCHS epochs), or as fast as
// the slowest run when the speed is "max". A run that has ended (finished, converged, diverged, …) drops out;
// when all have, play stops.

/** @typedef {import("./socket.js").Session} Session */
/**
 * @typedef {object} Runner one run in the lock-step
 * @property {Session} session
 * @property {() => (import("./types.js").Frame | null)} now its newest frame
 * @property {number | null} [target] the epoch it was asked for (null: not busy)
 * @property {number} [asked] Date.now() when it was asked
 * @property {() => boolean} [trainOn] a run that has ended: let it go on if it can (its epochs ran out)
 * @property {boolean} [resumed] it was let go on: it counts as active until its next frame
 */

const ROUND_S = 0.2; // seconds a round takes at a set speed (slow speeds: one epoch per round)
const MAX_ROUND_EPOCHS = 25; // so runs on screen are never further apart than this, even at "max"
const STUCK_MS = 30_000; // a run that answers no step for this long is not waited for any more

export class LockStep {
  /**
   * @param {{runners: () => Runner[], speed: () => number, onPlaying: (playing: boolean) => void}} deps
   *   `runners`: the runs now (main first); `speed`: epochs per second, 0 = as fast as possible
   */
  constructor({ runners, speed, onPlaying }) {
    this.runners = runners;
    this.speed = speed;
    this.onPlaying = onPlaying;
    this.playing = false;
    this.timer = null;
    this.nextAt = 0;
    this.fastChunk = 2; // epochs per round at "max", adapted to how long rounds take
    this.roundStart = 0;
  }

  /** A run that can still train: it has a frame and is not done (or was just let go on). */
  static active(runner) {
    const frame = runner.now();
    return Boolean(frame) && (!frame.done || Boolean(runner.resumed));
  }

  /** Play every run that can train (runs that trained all their epochs go on); false when none can. */
  play() {
    const runners = this.runners();
    for (const r of runners) if (r.now()?.done && r.trainOn?.()) r.resumed = true;
    if (!runners.some(LockStep.active)) return false;
    this.playing = true;
    this.onPlaying(true);
    this.round();
    return true;
  }

  /** Stop after the steps under way (they are cancelled on the server: `pause` ends a step). */
  pause() {
    const was = this.playing;
    this.playing = false;
    clearTimeout(this.timer);
    for (const r of this.runners()) {
      if (r.target !== null && r.target !== undefined) r.session.pause();
      r.target = null;
    }
    if (was) this.onPlaying(false);
  }

  /** One epoch for every run (or the runs behind catch up by one), while paused. */
  step() {
    this.round(1);
  }

  /** A run's frame came: when every asked run is there, the next round follows (at the pace). */
  arrived(runner, frame) {
    if (!frame.done) runner.resumed = false;
    if (runner.target !== null && runner.target !== undefined && (frame.epoch >= runner.target || frame.done)) {
      runner.target = null;
    }
    if (!this.playing || this.busy()) return;
    const round = Date.now() - this.roundStart;
    if (this.speed() === 0) { // as fast as the runs go: about a fifth of a second a round
      this.fastChunk = Math.max(1, Math.min(MAX_ROUND_EPOCHS, round < 100 ? this.fastChunk * 2
        : round > 400 ? Math.floor(this.fastChunk / 2) : this.fastChunk));
    }
    clearTimeout(this.timer);
    this.timer = setTimeout(() => this.round(), Math.max(0, this.nextAt - Date.now()));
  }

  /** Some asked run has not answered yet (one silent for STUCK_MS is given up on). */
  busy() {
    const now = Date.now();
    return this.runners().some((r) => {
      if (r.target === null || r.target === undefined) return false;
      if (now - (r.asked || now) > STUCK_MS) r.target = null;
      return r.target !== null;
    });
  }

  /** Ask every run for the next epoch target; `epochs` (a step) or the pace decide how far. */
  round(epochs = null) {
    if (this.busy()) return;
    const runs = this.runners().filter(LockStep.active);
    if (!runs.length) {
      if (this.playing) this.pause();
      return;
    }
    const speed = this.speed();
    const paced = Math.min(MAX_ROUND_EPOCHS, Math.max(1, Math.round(speed * ROUND_S)));
    const chunk = epochs ?? (speed > 0 ? paced : this.fastChunk);
    const at = runs.map((r) => r.now().epoch);
    const lead = Math.max(...at);
    const target = Math.min(...at) === lead ? lead + chunk : lead;
    this.roundStart = Date.now();
    this.nextAt = this.roundStart + (epochs === null && speed > 0 ? (1000 * chunk) / speed : 0);
    runs.forEach((r, k) => {
      if (at[k] >= target) return;
      const n = Math.min(chunk, target - at[k]);
      r.target = at[k] + n;
      r.asked = this.roundStart;
      r.session.step(n, "epoch");
    });
  }
}
