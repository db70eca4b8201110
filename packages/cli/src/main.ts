/**
 * The `ot` command. Exit codes: 0 success; 1 runtime failure; 2 bad flags or arguments
 * (unknown option, value out of range); 3 unreadable or invalid file or directory; 130 interrupted.
 */
import { Command, CommanderError, InvalidArgumentError, Option } from 'commander';
import { isOTError } from '@ot/core';
import { TOY_DATASETS } from '@ot/gen';
import { LOSSES, MODELS, CRITICS } from './setup.js';
import { OT_MODELS, applyOtModel } from './ot-models.js';

export const EXIT = { OK: 0, FAILURE: 1, USAGE: 2, FILE: 3, INTERRUPTED: 130 } as const;

function int(name: string, min = 1) {
  return (v: string): number => {
    const n = Number(v);
    if (!Number.isInteger(n) || n < min) throw new InvalidArgumentError(`${name} must be an integer ≥ ${min}, got '${v}'`);
    return n;
  };
}

function positive(name: string) {
  return (v: string): number => {
    const n = Number(v);
    if (!Number.isFinite(n) || n <= 0) throw new InvalidArgumentError(`${name} must be a number > 0, got '${v}'`);
    return n;
  };
}

function nonNegative(name: string) {
  return (v: string): number => {
    const n = Number(v);
    if (!Number.isFinite(n) || n < 0) throw new InvalidArgumentError(`${name} must be a number ≥ 0, got '${v}'`);
    return n;
  };
}

function decay(v: string): number {
  const n = Number(v);
  if (!Number.isFinite(n) || n < 0 || n >= 1) throw new InvalidArgumentError(`--ema must be a decay in [0, 1), got '${v}'`);
  return n;
}

function intList(v: string): number[] {
  const parts = v.split(',').map((s) => Number(s.trim()));
  if (parts.length === 0 || parts.some((n) => !Number.isInteger(n) || n < 1)) throw new InvalidArgumentError(`--hidden must be comma-separated positive integers, got '${v}'`);
  return parts;
}

const DATA_HELP = `mnist | mnist:<idx images file> | toy:<${TOY_DATASETS.join('|')}> | cifar10:<dir> | images:<dir of PNGs>`;

/** Builds the commander program; `run` receives the chosen action's exit code. */
export function buildProgram(setCode: (code: number) => void): Command {
  const program = new Command('ot')
    .description('Train, sample, evaluate and benchmark optimal-transport generative models (TensorFlow.js).')
    .version('0.1.0')
    .showHelpAfterError('(run with --help for usage)')
    .exitOverride();
  program.configureOutput({ outputError: (s, write) => write(s) });

  program
    .command('train')
    .description('train a generator; writes sample grids, checkpoints, loss.png and report.json to --out')
    .addOption(new Option('--loss <loss>', 'training objective (with --model swae: its slicer sw|max-sw|la-sw|ga-sw|na-sw)').choices([...LOSSES]).default('sw'))
    .option('--data <spec>', DATA_HELP, 'mnist')
    .addOption(
      new Option(
        '--model <kind>',
        `generator architecture (default: mlp for mnist/toy, dcgan for 32×32 images), or an OT model ${OT_MODELS.join('|')}: the training method itself, with the default architecture (autoencoders: MLP; conv on 32×32 images); with swae, --loss picks the slicer`,
      ).choices([...MODELS, ...OT_MODELS]),
    )
    .addOption(new Option('--critic <kind>', 'critic whose features are sliced / the GAN discriminator (default on MNIST: mlp for sngan and la-sw, none otherwise; toy: none except sngan; 32×32 images: dcgan)').choices([...CRITICS]))
    .option('--steps <n>', 'total training steps (default: 750 on MNIST, 2000 toy, 5000 images)', int('--steps'))
    .option('--batch <n>', 'mini-batch size (default: 256 mnist/toy, 64 images)', int('--batch'))
    .option('--latent <n>', 'latent dimension (default: 32 mnist, 2 toy, 128 images)', int('--latent'))
    .option('--L <n>', 'projections for --loss sw (default: 500 MNIST, 100 toy, 1000 images)', int('--L'))
    .option('--t2 <n>', 'ascent steps T2 for --loss max-sw', int('--t2', 0), 10)
    .option('--slice-lr <x>', 'slice learning rate (max-sw ascent; amortized slicer)', positive('--slice-lr'))
    .option('--lr <x>', 'generator learning rate (default 1e-3 pixels, 2e-4 with a critic)', positive('--lr'))
    .option('--n-critic <n>', 'critic steps per generator step', int('--n-critic'), 1)
    .option('--ema <decay>', 'EMA of generator weights (default: 0.999 on 32×32 images, off on MNIST/toy); sampling uses the EMA', decay)
    .option('--lambda <x>', 'entropic regularization λ for --loss semidual (0 = unregularized); penalty weight of wae-mmd|wae-gan|swae|wgan-gp (0 = the model default)', nonNegative('--lambda'), 0)
    .addOption(new Option('--potential <kind>', 'semi-dual potential: vector (SDOT) or mlp (SDOTNN)').choices(['vector', 'mlp']).default('vector'))
    .option('--width <n>', 'base channel width of dcgan / sngan models', int('--width'))
    .option('--hidden <list>', 'hidden widths of the MLP generator, e.g. 256,512,1024', intList)
    .option('--seed <n>', 'random seed', int('--seed', 0), 0)
    .option('--out <dir>', 'output directory (default runs/<loss>-<data>)')
    .option('--resume [checkpoint]', 'continue from the checkpoint in --out (or the given file)')
    .option('--sample-every <n>', 'write a sample grid every N steps (default steps/5)', int('--sample-every'))
    .option('--checkpoint-every <n>', 'checkpoint every N steps (default steps/10)', int('--checkpoint-every'))
    .option('--no-fid', 'skip the final FID (MNIST extractor)')
    .option('--fid-samples <n>', 'samples for the final FID', int('--fid-samples', 2), 10000)
    .option('--backend <name>', 'tfjs backend (wasm, cpu, tensorflow); default: the fastest available')
    .option('--plain', 'plain progress lines instead of a progress bar')
    .option('--quiet', 'no progress output')
    .action(async (o: Record<string, unknown>, cmd: Command) => {
      applyOtModel(o, (name) => cmd.getOptionValueSource(name));
      const { trainCommand } = await import('./commands/train.js');
      setCode(
        await trainCommand({
          ...(o as object),
          L: o['L'] as number | undefined,
          fid: o['fid'] as boolean,
          fidSamples: o['fidSamples'] as number,
        } as Parameters<typeof trainCommand>[0]),
      );
    });

  program
    .command('sample')
    .description('draw samples from a checkpoint into a PNG grid')
    .requiredOption('--checkpoint <path>', 'run directory or .otck file')
    .option('--n <n>', 'number of samples', int('--n'), 64)
    .option('--out <file>', 'output PNG', 'samples.png')
    .option('--cols <n>', 'grid columns', int('--cols'))
    .option('--seed <n>', 'random seed', int('--seed', 0), 0)
    .option('--no-ema', 'use the raw generator weights even when EMA weights exist')
    .option('--backend <name>', 'tfjs backend')
    .action(async (o: Record<string, unknown>) => {
      const { sampleCommand } = await import('./commands/sample.js');
      setCode(await sampleCommand(o as unknown as Parameters<typeof sampleCommand>[0]));
    });

  program
    .command('eval')
    .description("evaluate a checkpoint's generator")
    .requiredOption('--checkpoint <path>', 'run directory or .otck file')
    .addOption(new Option('--metric <name>', 'metric').choices(['fid', 'kid', 'is', 'sw']).default('fid'))
    .option('--n <n>', 'number of generated samples', int('--n', 2), 10000)
    .option('--seed <n>', 'random seed', int('--seed', 0), 0)
    .option('--no-ema', 'use the raw generator weights')
    .option('--json', 'print a JSON object')
    .option('--backend <name>', 'tfjs backend')
    .action(async (o: Record<string, unknown>) => {
      const { evalCommand } = await import('./commands/eval.js');
      setCode(await evalCommand(o as unknown as Parameters<typeof evalCommand>[0]));
    });

  program
    .command('bench')
    .description('iterations/s of one generator under each sliced loss (Table 2 of Nguyen & Ho at this scale)')
    .option('--data <spec>', DATA_HELP, 'mnist')
    .option('--steps <n>', 'timed steps per method', int('--steps'), 20)
    .option('--warmup <n>', 'untimed steps per method', int('--warmup', 0), 3)
    .option('--batch <n>', 'mini-batch size', int('--batch'))
    .option('--json', 'print JSON instead of a Markdown table')
    .option('--backend <name>', 'tfjs backend')
    .action(async (o: Record<string, unknown>) => {
      const { benchCommand } = await import('./commands/bench.js');
      setCode(await benchCommand(o as unknown as Parameters<typeof benchCommand>[0]));
    });

  return program;
}

/** Runs the CLI on `argv` (as `process.argv`); resolves to the exit code, never throws. */
export async function main(argv: readonly string[]): Promise<number> {
  let code: number = EXIT.OK;
  const program = buildProgram((c) => {
    code = c;
  });
  try {
    await program.parseAsync([...argv]);
    return code;
  } catch (e) {
    if (e instanceof CommanderError) {
      // --help and --version exit through here with code 0.
      if (e.code === 'commander.helpDisplayed' || e.code === 'commander.version' || e.code === 'commander.help') return EXIT.OK;
      return EXIT.USAGE;
    }
    if (isOTError(e)) {
      process.stderr.write(`ot: ${e.message}\n`);
      if (e.code === 'INVALID_FILE') return EXIT.FILE;
      if (e.code === 'INVALID_ARGUMENT' || e.code === 'SHAPE_MISMATCH' || e.code === 'BACKEND_UNAVAILABLE') return EXIT.USAGE;
      return EXIT.FAILURE;
    }
    process.stderr.write(`ot: ${(e as Error)?.stack ?? String(e)}\n`);
    return EXIT.FAILURE;
  }
}
