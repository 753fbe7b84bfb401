import type { Command } from 'commander';
import { action, examples } from '../command-kit.js';
import { renderTable } from '../render-table.js';
import { usageError } from '../../errors.js';
import type { DriftBaselineRow } from '../../drift/drift-baselines.js';

interface BaselineFlags {
  sensor?: string[];
  sensorType?: string;
  window?: string;
  hourly?: boolean;
  note?: string;
  replace?: boolean;
}

function baselineJson(b: DriftBaselineRow) {
  return {
    name: b.name,
    sensorIds: b.sensorIds,
    sensorType: b.sensorType,
    window: { from: b.windowFrom.toISOString(), to: b.windowTo.toISOString() },
    source: b.source,
    rowCounts: b.rowCounts,
    note: b.note,
    createdAt: b.createdAt.toISOString(),
    updatedAt: b.updatedAt.toISOString(),
  };
}

function describe(b: DriftBaselineRow): string {
  const rows = Object.values(b.rowCounts).reduce((s, n) => s + n, 0);
  return [
    `Baseline ${b.name}`,
    `  window:  ${b.windowFrom.toISOString()}..${b.windowTo.toISOString()} (${b.source})`,
    `  sensors: ${b.sensorIds.length}${b.sensorType ? ` of type ${b.sensorType}` : ''}: ${b.sensorIds.slice(0, 10).join(', ')}${b.sensorIds.length > 10 ? ', …' : ''}`,
    `  readings when set: ${rows.toLocaleString('en-US')}`,
    ...(b.note ? [`  note: ${b.note}`] : []),
    `  set: ${b.updatedAt.toISOString()}`,
  ].join('\n');
}

/** `smx drift baseline set|list|show|delete`: named reference windows stored in the database. */
export function registerDriftBaseline(drift: Command): void {
  drift
    .command('baseline')
    .description('named reference windows that do not move with the alarm: set, list, show, delete')
    .argument('<verb>', 'set, list, show or delete')
    .argument('[name]', 'the baseline (letters, digits, . _ : -)')
    .option('--sensor <ids...>', 'the sensors it covers')
    .option('--sensor-type <type>', 'or every sensor of this type')
    .option('--window <window>', 'FROM..TO (or last:14d) of normal operation')
    .option('--hourly', 'compare hourly averages against it by default')
    .option('--note <text>', 'why this window (e.g. "after the March overhaul")')
    .option('--replace', 'overwrite a baseline of the same name')
    .addHelpText(
      'after',
      examples(
        'smx drift baseline set normal-jan --sensor-type temperature --window 2024-01-01..2024-01-15 --note "after commissioning"',
        'smx drift --sensor-type temperature --current last:1h --reference baseline:normal-jan --season hour-of-week --fail-on-drift',
        'smx drift baseline list --json',
        'smx drift baseline delete normal-jan',
      ),
    )
    .action(
      action<BaselineFlags>(async (context, flags, args) => {
        const [verb, name] = args;
        const { db } = await context.database();
        const lib = await import('../../drift/drift-baselines.js');
        const needName = () => {
          if (!name) throw usageError(`smx drift baseline ${verb} needs a NAME.`);
          return name;
        };
        switch (verb ?? '') {
          case 'set': {
            if (!flags.window) throw usageError('smx drift baseline set needs --window FROM..TO.');
            const set = await lib.setDriftBaseline(db, {
              name: needName(),
              selection: { sensorIds: flags.sensor, sensorType: flags.sensorType },
              window: flags.window,
              ...(flags.hourly ? { source: 'hourly' as const } : {}),
              ...(flags.note ? { note: flags.note } : {}),
              replace: Boolean(flags.replace),
              now: new Date(context.now()),
            });
            const empty = set.empty.length ? `\nNo reading in the window for: ${set.empty.join(', ')}.` : '';
            return {
              result: { baseline: baselineJson(set.baseline), created: set.created, emptySensors: set.empty },
              text: `${set.created ? 'Created' : 'Replaced'} ${describe(set.baseline)}${empty}`,
            };
          }
          case 'list': {
            const all = await lib.listBaselines(db);
            return {
              result: { baselines: all.map(baselineJson) },
              text: all.length
                ? renderTable(
                    ['name', 'window', 'sensors', 'source', 'note'],
                    all.map((b) => [
                      b.name,
                      `${b.windowFrom.toISOString()}..${b.windowTo.toISOString()}`,
                      b.sensorType ? `${b.sensorIds.length} (${b.sensorType})` : b.sensorIds.length,
                      b.source,
                      b.note ?? '',
                    ]),
                  )
                : 'No drift baselines. Create one with smx drift baseline set NAME --sensor-type T --window A..B.',
            };
          }
          case 'show': {
            const b = await lib.showDriftBaseline(db, needName());
            return { result: { baseline: baselineJson(b) }, text: describe(b) };
          }
          case 'delete': {
            await lib.removeDriftBaseline(db, needName());
            return { result: { deleted: name }, text: `Deleted baseline ${name}.` };
          }
          default:
            throw usageError(`Unknown verb ${JSON.stringify(verb)}.`, { hint: 'Use set, list, show or delete.' });
        }
      }),
    );
}
