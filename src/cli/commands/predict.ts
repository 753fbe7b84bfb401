import { createReadStream, existsSync } from 'node:fs';
import path from 'node:path';
import type { Writable } from 'node:stream';
import { writeStreamAtomic } from '../../integrity/atomic-write.js';
import type { Command } from 'commander';
import { notFoundError, usageError } from '../../errors.js';
import { action } from '../command-kit.js';

export function registerPredict(program: Command): void {
  program
    .command('predict')
    .description('score a CSV with a registered tree model through onnxruntime (streamed in chunks)')
    .argument('<model>', 'NAME, NAME@VERSION or NAME@champion')
    .argument('<input>', 'CSV whose header names exactly the model features, or - for stdin')
    .option('--output <file>', 'write predictions here (default: stdout)')
    .option('--chunk-rows <n>', 'rows per onnxruntime call', '10000')
    .addHelpText(
      'after',
      '\nExamples:\n  smx predict ai4i-failure readings.csv --output predictions.csv\n  cat readings.csv | smx predict ai4i-failure@2 -\n  smx models show ai4i-failure   # lists the feature columns the CSV needs',
    )
    .action(
      action<{ output?: string; chunkRows: string }>(async (context, options, args) => {
        const { parseIntFlag } = await import('../command-kit.js');
        const { loadModel } = await import('../../registry/load-model.js');
        const { predictStream } = await import('../../ml/pipelines/predict-stream.js');
        const chunkRows = parseIntFlag(options.chunkRows, '--chunk-rows', { min: 1, max: 1_000_000 });
        if (context.json && !options.output)
          throw usageError('--json prints a summary on stdout, so the predictions need --output FILE.');
        const model = await loadModel(path.resolve(context.cwd, context.config.modelsDir), args[0]!);
        const inputArg = args[1]!;
        const inputPath = inputArg === '-' ? null : path.resolve(context.cwd, inputArg);
        if (inputPath && !existsSync(inputPath)) throw notFoundError(`Input file ${inputArg} not found.`);
        const input = inputPath ? createReadStream(inputPath) : process.stdin;
        // Written beside the target and renamed at the end: a failed run leaves no half-written predictions file.
        const target = options.output ? path.resolve(context.cwd, options.output) : null;
        const score = (out: Writable) =>
          predictStream(model, input, out, {
            chunkRows,
            signal: context.signal,
            source: inputPath ? inputArg : 'stdin',
          });
        const summary = target ? (await writeStreamAtomic(target, score)).result : await score(context.stdout);
        const rate = summary.seconds > 0 ? Math.round(summary.rows / summary.seconds) : summary.rows;
        const line = `${summary.rows} rows scored by ${model.name}@${model.version} in ${summary.seconds.toFixed(2)} s (${rate} rows/s, ${summary.chunks} chunk(s))${target ? `; predictions in ${path.relative(context.cwd, target)}` : ''}`;
        if (!target) context.logger.info({ rows: summary.rows }, line);
        return {
          result: {
            model: `${model.name}@${model.version}`,
            rows: summary.rows,
            seconds: summary.seconds,
            rowsPerSecond: rate,
            columns: summary.columns,
            output: target ? path.relative(context.cwd, target) : null,
          },
          text: target ? line : undefined,
        };
      }),
    );
}
