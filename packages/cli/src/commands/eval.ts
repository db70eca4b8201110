/** `ot eval`: metrics of a checkpoint's generator (FID, KID, IS with the MNIST extractor; SW to the data). */
import { initBackend, OTError } from '@ot/core';
import { isImageDataset, loadCheckpoint, loadMnist } from '@ot/gen';
import { slicedWasserstein } from '@ot/sliced';
import * as tf from '@tensorflow/tfjs-core';
import { mnistMetric } from '../mnist-metric.js';
import { trainerFromCheckpoint, type RunConfig } from '../setup.js';

export interface EvalFlags {
  checkpoint: string;
  metric: string;
  n: number;
  seed: number;
  ema: boolean;
  backend?: string;
  json?: boolean;
}

export async function evalCommand(f: EvalFlags): Promise<number> {
  const ckpt = loadCheckpoint(f.checkpoint);
  const cfg = (ckpt.meta as { cli?: RunConfig }).cli;
  if (cfg === undefined) throw new OTError('INVALID_FILE', `'${f.checkpoint}' was not written by ot train`);
  await initBackend({ backend: f.backend ?? cfg.backend, quiet: true });
  const { trainer, dataset } = await trainerFromCheckpoint(cfg, ckpt);
  const result: Record<string, unknown> = { checkpoint: f.checkpoint, step: ckpt.step, metric: f.metric, samples: f.n };
  try {
    const images = isImageDataset(dataset);
    if (f.metric === 'sw') {
      const v = tf.tidy(() => {
        const x = trainer.sample(f.n, { seed: f.seed, useEma: f.ema });
        const y = dataset.sample(f.n, f.seed + 1);
        return slicedWasserstein(tf.reshape(x, [f.n, -1]), tf.reshape(y, [f.n, -1]), { nProjections: 500, seed: 0 }).dataSync()[0] as number;
      });
      result['value'] = v;
    } else if (f.metric === 'fid' || f.metric === 'kid' || f.metric === 'is') {
      if (!(images && dataset.sampleShape[0] === 28 && dataset.sampleShape[2] === 1)) {
        throw new OTError('INVALID_ARGUMENT', `--metric ${f.metric} is available for 28×28 grayscale (MNIST-like) data with the MNIST extractor; this run is on ${dataset.name}`);
      }
      const ref = loadMnist({ split: 'test' });
      const r = await mnistMetric(f.metric, (b, i) => trainer.sample(b, { seed: f.seed + 1000 * i, useEma: f.ema }), ref, f.n).finally(() => ref.dispose());
      if (r.value === undefined) throw new OTError('INVALID_ARGUMENT', `${f.metric.toUpperCase()} unavailable: ${r.skipped}`);
      Object.assign(result, { value: r.value, ...(r.std === undefined ? {} : { std: r.std }), extractor: r.extractor, reference: f.metric === 'is' ? undefined : r.reference, samples: r.samples });
    } else {
      throw new OTError('INVALID_ARGUMENT', `unknown --metric '${f.metric}'; expected fid, kid, is or sw`);
    }
    process.stdout.write(f.json === true ? `${JSON.stringify(result)}\n` : `${f.metric} = ${(result['value'] as number).toFixed(4)}${result['std'] === undefined ? '' : ` ± ${(result['std'] as number).toFixed(4)}`} (step ${ckpt.step}, ${result['samples']} samples)\n`);
    return 0;
  } finally {
    trainer.dispose();
    dataset.dispose();
  }
}
