import type { Command } from 'commander';
import { action, parseIntFlag, examples } from '../command-kit.js';
import { renderTable } from '../render-table.js';
import { usageError } from '../../errors.js';

export function registerEvents(program: Command): void {
  const events = program
    .command('events')
    .description('inspect the event bus and replay dead letters')
    .addHelpText(
      'after',
      `
The bus is Redis Streams when a Redis URL is configured, else the Postgres outbox.

Examples:
  smx events list --type drift.detected
  smx events publish drift.detected --payload '{"sensor_id":"pump-1","sensor_ids":["pump-1"]}'
  smx events dlq list --group retrain
  smx events dlq retry --group retrain --all`,
    );

  events
    .command('list')
    .description('recent events, newest first')
    .addHelpText('after', examples('smx events list --type drift.detected --limit 5'))
    .option('--type <type>', 'only this event type')
    .option('--limit <n>', 'how many', '20')
    .action(
      action<{ type?: string; limit: string }>(async (context, options) => {
        const bus = await context.bus();
        const list = await bus.recent({
          type: options.type,
          limit: parseIntFlag(options.limit, '--limit', { min: 1, max: 10_000 }),
        });
        return {
          result: { bus: bus.kind, events: list },
          text:
            `${bus.kind} bus, ${list.length} event(s)\n` +
            renderTable(
              ['created', 'type', 'id', 'payload'],
              list.map((e) => [e.createdAt, e.type, e.id, JSON.stringify(e.payload).slice(0, 80)]),
            ),
        };
      }),
    );

  events
    .command('publish')
    .description('publish one event (for operations and tests)')
    .addHelpText(
      'after',
      examples(`smx events publish drift.detected --payload '{"sensor_id":"pump-1","sensor_ids":["pump-1"]}'`),
    )
    .argument('<type>', 'event type, e.g. drift.detected')
    .option('--payload <json>', 'the payload, a JSON object', '{}')
    .option('--id <uuid>', 'event id (publishing an id twice stores it once)')
    .action(
      action<{ payload: string; id?: string }>(async (context, options, args) => {
        let payload: unknown;
        try {
          payload = JSON.parse(options.payload);
        } catch {
          throw usageError('--payload is not valid JSON.');
        }
        if (typeof payload !== 'object' || payload === null || Array.isArray(payload))
          throw usageError('--payload must be a JSON object.');
        const bus = await context.bus();
        const event = await bus.publish(args[0]!, payload, { id: options.id });
        return {
          result: { bus: bus.kind, event },
          text: `Published ${event.type} ${event.id} on the ${bus.kind} bus.`,
        };
      }),
    );

  const dlq = events
    .command('dlq')
    .description('dead letters: events whose handler failed every try')
    .addHelpText(
      'after',
      examples('smx events dlq list --group retrain', 'smx events dlq retry --group retrain --all'),
    );
  dlq
    .command('list')
    .description('dead letters, newest failure first')
    .addHelpText('after', examples('smx events dlq list --group retrain --json'))
    .option('--group <group>', 'only this consumer group')
    .option('--limit <n>', 'how many', '100')
    .action(
      action<{ group?: string; limit: string }>(async (context, options) => {
        const bus = await context.bus();
        const letters = await bus.deadLetters({
          group: options.group,
          limit: parseIntFlag(options.limit, '--limit', { min: 1, max: 10_000 }),
        });
        return {
          result: { bus: bus.kind, deadLetters: letters },
          text:
            `${bus.kind} bus, ${letters.length} dead letter(s)\n` +
            renderTable(
              ['failed', 'group', 'type', 'event id', 'tries', 'last error'],
              letters.map((d) => [d.failedAt, d.group, d.event.type, d.event.id, d.attempts, d.lastError.slice(0, 60)]),
            ),
        };
      }),
    );
  dlq
    .command('retry')
    .description('put dead letters back for their group (their tries start again)')
    .addHelpText(
      'after',
      examples(
        'smx events dlq retry --group retrain --all',
        'smx events dlq retry 7f1c0c3e-3b5f-4a8e-9d2a-1d0f6f3b2a10',
      ),
    )
    .argument('[eventIds...]', 'only these event ids')
    .option('--group <group>', 'only this consumer group')
    .option('--all', 'every dead letter (of --group, if given)')
    .action(
      action<{ group?: string; all?: boolean }>(async (context, options, args) => {
        if (!options.all && args.length === 0) throw usageError('Name the event ids to replay, or pass --all.');
        if (options.all && args.length) throw usageError('Give event ids or --all, not both.');
        const malformed = args.filter((id) => !eventIdPattern.test(id));
        if (malformed.length)
          throw usageError(`Not an event id (a UUID): ${malformed.map((id) => JSON.stringify(id)).join(', ')}.`, {
            hint: 'Take the ids from `smx events dlq list`, e.g. 7f1c0c3e-3b5f-4a8e-9d2a-1d0f6f3b2a10.',
          });
        const bus = await context.bus();
        const replayed = await bus.replayDeadLetters({
          group: options.group,
          eventIds: args.length ? args : undefined,
        });
        return {
          result: { bus: bus.kind, replayed },
          text: `Replayed ${replayed} dead letter(s) on the ${bus.kind} bus.`,
        };
      }),
    );
}

/** Event ids are UUIDs (events.event_id); anything else would reach PostgreSQL as a bad uuid. */
const eventIdPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
