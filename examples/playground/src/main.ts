/** The playground page: controls, the training loop (one animation frame = a few steps), drawing. */
import * as tf from '@tensorflow/tfjs-core';
import { createRng, randomDirections } from '@ot/core';
import { pickBackend } from './backend.js';
import { METHODS, monitorDistance, type MethodSpec, type Trainer } from './methods.js';
import { TARGETS, sampleDrawn } from './targets.js';

const $ = <T extends HTMLElement>(id: string): T => {
  const el = document.getElementById(id);
  if (el === null) throw new Error(`#${id} missing`);
  return el as T;
};

const targetSelect = $<HTMLSelectElement>('target');
const methodSelect = $<HTMLSelectElement>('method');
const paramsBox = $<HTMLDivElement>('params');
const scene = $<HTMLCanvasElement>('scene');
const curve = $<HTMLCanvasElement>('curve');
const startBtn = $<HTMLButtonElement>('start');
const stopBtn = $<HTMLButtonElement>('stop');
const resetBtn = $<HTMLButtonElement>('reset');
const EXTENT = 2.6; // the scene shows [-EXTENT, EXTENT]²

/** Everything a run owns. */
interface Run {
  trainer: Trainer;
  target: tf.Tensor2D;
  monitorDirs: tf.Tensor2D;
  step: number;
  history: { step: number; distance: number }[];
}

let run: Run | null = null;
let running = false;
let drawn: [number, number][] = [];
let targetPoints: Float32Array = new Float32Array(0);
let particles: Float32Array = new Float32Array(0);

for (const t of TARGETS) targetSelect.add(new Option(t.label, t.id));
targetSelect.add(new Option('Draw your own', 'draw'));
for (const m of METHODS) methodSelect.add(new Option(m.label, m.id));

const query = new URLSearchParams(location.search);
if (query.get('target') !== null) targetSelect.value = query.get('target') ?? '';
if (query.get('method') !== null) methodSelect.value = query.get('method') ?? '';
for (const id of ['n', 'spf', 'seed']) {
  const v = query.get(id);
  if (v !== null) ($<HTMLInputElement>(id)).value = v;
}

function method(): MethodSpec {
  return METHODS.find((m) => m.id === methodSelect.value) ?? (METHODS[0] as MethodSpec);
}

function num(id: string): number {
  return Number($<HTMLInputElement>(id).value);
}

function renderParams(): void {
  const m = method();
  $('method-source').textContent = m.source;
  paramsBox.replaceChildren(
    ...m.params.map((p) => {
      const label = document.createElement('label');
      const input = document.createElement('input');
      Object.assign(input, { type: 'number', id: `param-${p.key}`, min: String(p.min), max: String(p.max), step: String(p.step), value: String(p.value) });
      label.append(p.label, input);
      return label;
    }),
  );
}

function paramValues(): Record<string, number> {
  const out: Record<string, number> = {};
  for (const p of method().params) {
    const v = Number(($<HTMLInputElement>(`param-${p.key}`)).value);
    out[p.key] = Number.isFinite(v) ? Math.min(p.max, Math.max(p.min, v)) : p.value;
  }
  return out;
}

/** The target has as many points as there are particles: SW then matches sorted projections one to one. */
function sampleTarget(): Float32Array {
  const seed = num('seed');
  const TARGET_SIZE = Math.max(16, Math.round(num('n')));
  if (targetSelect.value === 'draw') return drawn.length === 0 ? new Float32Array(0) : sampleDrawn(drawn, TARGET_SIZE, seed + 1);
  const preset = TARGETS.find((t) => t.id === targetSelect.value) ?? TARGETS[0];
  return preset === undefined ? new Float32Array(0) : preset.sample(TARGET_SIZE, createRng(seed + 1));
}

function initialParticles(n: number, seed: number): Float32Array {
  const rng = createRng(seed);
  const out = new Float32Array(2 * n);
  for (let i = 0; i < out.length; i++) out[i] = 0.5 * rng.normal();
  return out;
}

// ---------------------------------------------------------------- drawing
const toPx = (v: number, size: number): number => ((v + EXTENT) / (2 * EXTENT)) * size;
const fromPx = (p: number, size: number): number => (p / size) * 2 * EXTENT - EXTENT;

function drawScene(): void {
  const g = scene.getContext('2d');
  if (g === null) return;
  const { width: w, height: h } = scene;
  g.clearRect(0, 0, w, h);
  g.strokeStyle = '#eee';
  g.beginPath();
  g.moveTo(w / 2, 0);
  g.lineTo(w / 2, h);
  g.moveTo(0, h / 2);
  g.lineTo(w, h / 2);
  g.stroke();
  const dots = (pts: Float32Array, color: string, r: number): void => {
    g.fillStyle = color;
    for (let i = 0; i + 1 < pts.length; i += 2) {
      g.fillRect(toPx(pts[i] ?? 0, w) - r / 2, toPx(-(pts[i + 1] ?? 0), h) - r / 2, r, r);
    }
  };
  dots(targetPoints, 'rgba(230, 120, 30, 0.35)', 3);
  dots(particles, 'rgba(30, 90, 200, 0.8)', 3);
  if (targetSelect.value === 'draw' && drawn.length === 0) {
    g.fillStyle = '#999';
    g.font = '16px system-ui';
    g.fillText('draw a target here', w / 2 - 70, h / 2 - 10);
  }
}

function drawCurve(): void {
  const g = curve.getContext('2d');
  if (g === null) return;
  const { width: w, height: h } = curve;
  g.clearRect(0, 0, w, h);
  const hist = run?.history ?? [];
  g.fillStyle = '#666';
  g.font = '12px system-ui';
  g.fillText('SW₂ to target (log scale) vs step', 8, 14);
  if (hist.length < 2) return;
  const logs = hist.map((p) => Math.log10(Math.max(p.distance, 1e-6)));
  const lo = Math.min(...logs);
  const hi = Math.max(...logs);
  const last = hist[hist.length - 1]?.step ?? 1;
  const pad = 22;
  g.strokeStyle = 'rgb(30, 90, 200)';
  g.lineWidth = 1.5;
  g.beginPath();
  hist.forEach((p, i) => {
    const x = pad + ((w - 2 * pad) * p.step) / Math.max(last, 1);
    const y = pad + ((h - 2 * pad) * (hi - (logs[i] ?? 0))) / Math.max(hi - lo, 1e-9);
    if (i === 0) g.moveTo(x, y);
    else g.lineTo(x, y);
  });
  g.stroke();
  g.fillText(`${(10 ** hi).toPrecision(3)}`, 2, pad);
  g.fillText(`${(10 ** lo).toPrecision(3)}`, 2, h - 6);
}

// ---------------------------------------------------------------- runs
function setText(id: string, text: string): void {
  $(id).textContent = text;
}

function showError(e: unknown): void {
  const el = $('error');
  el.hidden = false;
  el.textContent = e instanceof Error ? e.message : String(e);
  console.error(e);
}

function disposeRun(): void {
  if (run === null) return;
  run.trainer.dispose();
  run.target.dispose();
  run.monitorDirs.dispose();
  run = null;
}

function reset(): void {
  running = false;
  disposeRun();
  targetPoints = sampleTarget();
  particles = initialParticles(Math.max(16, Math.round(num('n'))), num('seed'));
  for (const id of ['loss', 'distance', 'distance0']) setText(id, '–');
  setText('step', '0');
  startBtn.disabled = false;
  stopBtn.disabled = true;
  drawScene();
  drawCurve();
}

function newRun(): Run {
  if (targetPoints.length === 0) throw new Error('the target is empty: pick a preset or draw some points');
  const target = tf.tensor2d(targetPoints, [targetPoints.length / 2, 2]);
  const seed = num('seed');
  const trainer = method().create({ particles, target, params: paramValues(), seed });
  return { trainer, target, monitorDirs: randomDirections(2, 256, { seed: 12345 }), step: 0, history: [] };
}

async function readParticles(r: Run): Promise<void> {
  const pos = r.trainer.positions();
  particles = (await pos.data()) as Float32Array;
  pos.dispose();
}

async function record(r: Run): Promise<number> {
  const pos = r.trainer.positions();
  const d = await monitorDistance(pos, r.target, r.monitorDirs);
  pos.dispose();
  r.history.push({ step: r.step, distance: d });
  setText('distance', d.toPrecision(4));
  if (r.history.length === 1) setText('distance0', d.toPrecision(4));
  return d;
}

async function frame(): Promise<void> {
  if (!running || run === null) return;
  const r = run;
  try {
    const spf = Math.max(1, Math.round(num('spf')));
    let loss = NaN;
    for (let i = 0; i < spf; i++) {
      loss = await r.trainer.step();
      r.step++;
    }
    setText('step', String(r.step));
    setText('loss', Number.isFinite(loss) ? loss.toPrecision(4) : String(loss));
    await record(r);
    await readParticles(r);
    drawScene();
    drawCurve();
    if (!Number.isFinite(loss)) throw new Error('the loss is not finite: lower the learning rate');
  } catch (e) {
    running = false;
    startBtn.disabled = false;
    stopBtn.disabled = true;
    showError(e);
    return;
  }
  requestAnimationFrame(() => void frame());
}

async function start(): Promise<void> {
  $('error').hidden = true;
  startBtn.disabled = true;
  try {
    if (run === null) {
      run = newRun();
      await record(run);
    }
  } catch (e) {
    startBtn.disabled = false;
    showError(e);
    return;
  }
  running = true;
  stopBtn.disabled = false;
  requestAnimationFrame(() => void frame());
}

function stop(): void {
  running = false;
  startBtn.disabled = false;
  stopBtn.disabled = true;
}

// ---------------------------------------------------------------- events
let drawing = false;
function addDrawn(ev: PointerEvent): void {
  const rect = scene.getBoundingClientRect();
  const x = fromPx(((ev.clientX - rect.left) * scene.width) / rect.width, scene.width);
  const y = -fromPx(((ev.clientY - rect.top) * scene.height) / rect.height, scene.height);
  drawn.push([x, y]);
}
scene.addEventListener('pointerdown', (ev) => {
  if (targetSelect.value !== 'draw') return;
  drawing = true;
  addDrawn(ev);
});
scene.addEventListener('pointermove', (ev) => {
  if (!drawing) return;
  addDrawn(ev);
  targetPoints = sampleTarget();
  drawScene();
});
window.addEventListener('pointerup', () => {
  if (!drawing) return;
  drawing = false;
  reset();
});
$('clear').addEventListener('click', () => {
  drawn = [];
  reset();
});
targetSelect.addEventListener('change', () => {
  $('draw-help').hidden = targetSelect.value !== 'draw';
  reset();
});
methodSelect.addEventListener('change', () => {
  renderParams();
  reset();
});
for (const id of ['n', 'seed']) $(id).addEventListener('change', reset);
paramsBox.addEventListener('change', reset);
startBtn.addEventListener('click', () => void start());
stopBtn.addEventListener('click', stop);
resetBtn.addEventListener('click', reset);

// ---------------------------------------------------------------- boot
renderParams();
for (const p of method().params) {
  const v = query.get(p.key);
  if (v !== null) ($<HTMLInputElement>(`param-${p.key}`)).value = v;
}
$('draw-help').hidden = targetSelect.value !== 'draw';
startBtn.disabled = true;
pickBackend(query.get('backend'))
  .then(({ name, note }) => {
    setText('backend', name);
    $('backend').title = note;
    setText('backend-note', note);
    document.body.dataset['backend'] = name;
    reset();
  })
  .catch((e: unknown) => {
    setText('backend', 'none');
    showError(e);
  });
