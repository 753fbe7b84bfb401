import { Writable } from 'node:stream';
import { randomUUID } from 'node:crypto';
import pino, { type Logger, type LevelWithSilent } from 'pino';

export type { Logger };

export interface LoggerOptions {
  level: LevelWithSilent;
  runId?: string;
  /** Human-readable lines instead of JSON: only when stderr is a terminal. */
  pretty?: boolean;
  destination?: NodeJS.WritableStream;
}

const redactPaths = [
  'apiKey',
  '*.apiKey',
  'password',
  '*.password',
  'webhookUrl',
  '*.webhookUrl',
  'headers["x-api-key"]',
  'req.headers["x-api-key"]',
];

/**
 * pino JSON on stderr, a run id on every line (so one cron run's lines can be
 * grepped together). Pretty output is a small formatter of our own rather than
 * pino-pretty, to keep the dependency list to the user's choices.
 */
export function createLogger(options: LoggerOptions): Logger {
  const runId = options.runId ?? randomUUID();
  const destination = options.destination ?? process.stderr;
  const stream = options.pretty ? prettyStream(destination) : destination;
  return pino(
    {
      level: options.level,
      base: { runId },
      redact: { paths: redactPaths, censor: '***' },
      timestamp: pino.stdTimeFunctions.isoTime,
    },
    stream as pino.DestinationStream,
  );
}

const levelNames: Record<number, string> = {
  10: 'TRACE',
  20: 'DEBUG',
  30: 'INFO',
  40: 'WARN',
  50: 'ERROR',
  60: 'FATAL',
};

function prettyStream(out: NodeJS.WritableStream): Writable {
  return new Writable({
    write(chunk: Buffer, _encoding, callback) {
      for (const line of chunk.toString('utf8').split('\n')) {
        if (!line) continue;
        try {
          const {
            level,
            time,
            msg,
            runId: _runId,
            pid: _pid,
            hostname: _host,
            ...rest
          } = JSON.parse(line) as Record<string, unknown>;
          const clock = typeof time === 'string' ? time.slice(11, 19) : '';
          const extra = Object.keys(rest).length ? ' ' + JSON.stringify(rest) : '';
          out.write(`${clock} ${levelNames[Number(level)] ?? level} ${String(msg ?? '')}${extra}\n`);
        } catch {
          out.write(line + '\n');
        }
      }
      callback();
    },
  });
}

/** A logger that drops everything (library tests). */
export function silentLogger(): Logger {
  return pino({ level: 'silent' });
}
