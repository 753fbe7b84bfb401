import { badLineMarker, type LineBlock } from './line-reader.js';
import { csvLineProblem, splitCsvLine } from './csv-fields.js';
import { resolveLayout, type LayoutOptions, type LongLayout, type RowLayout, type WideLayout } from './row-layout.js';
import {
  emptyValidRow,
  parseTimestampText,
  validateReading,
  validateTextRow,
  type TimeOptions,
  type ValidRow,
} from './validate-reading.js';
import { timestampProblem } from './parse-timestamp.js';
import { inputError, SmxError } from '../errors.js';
import type { Rejection } from './reading.js';

/**
 * Where rows go: valid ones to the batch, bad ones to the rejects file. `row`
 * is reused: copy what you keep. A sink that wants no more (past
 * --max-rejects) sets `stopped`: the reader ends its block at that line, and
 * the sink ignores what the rest of the line still hands it.
 */
export interface RowSink {
  row(row: ValidRow): void;
  reject(line: number, raw: string, field: Rejection['field'], reason: string): void;
  stopped: boolean;
}

export interface RowReaderOptions extends LayoutOptions, TimeOptions {
  format: 'csv' | 'ndjson';
  delimiter?: string;
}

export interface RowReaderCounts {
  lines: number;
  blankLines: number;
  /** Wide files: empty cells (no reading for that sensor at that time), skipped by design. */
  emptyCells: number;
}

const rawLimit = 4096;

/**
 * Turns line blocks into validated rows and rejects. Synchronous per block, so
 * the hot loop has no awaits; the caller flushes batches between blocks.
 */
export class RowReader {
  readonly counts: RowReaderCounts = { lines: 0, blankLines: 0, emptyCells: 0 };
  layout: RowLayout | undefined;
  private readonly fields: string[] = [];
  private readonly out = emptyValidRow();
  private readonly delimiter: number;

  constructor(private readonly options: RowReaderOptions) {
    this.delimiter = (options.delimiter ?? ',').charCodeAt(0);
  }

  /** Reads the block's lines into `sink`, until its end or until the sink has stopped. */
  consume(block: LineBlock, sink: RowSink): void {
    const text = block.text;
    let pos = 0;
    let index = 0;
    while (pos < text.length && !sink.stopped) {
      let lf = text.indexOf('\n', pos);
      if (lf < 0) lf = text.length;
      let end = lf;
      if (end > pos && text.charCodeAt(end - 1) === 13) end -= 1;
      this.counts.lines += 1;
      const lineNo = this.counts.lines;
      if (end === pos) this.counts.blankLines += 1;
      else if (text.charCodeAt(pos) === 0 && end === pos + 1 && text[pos] === badLineMarker && block.bad.has(index)) {
        const bad = block.bad.get(index)!;
        sink.reject(lineNo, bad.raw, '(line)', bad.reason);
      } else {
        try {
          if (this.options.format === 'ndjson') this.ndjsonLine(text, pos, end, lineNo, sink);
          else this.csvLine(text, pos, end, lineNo, sink);
        } catch (error) {
          // A row that exhausts the stack or a string's length (hostile nesting, say) is that row's
          // problem, not the load's: it is rejected like any other. Everything else propagates.
          if (!(error instanceof RangeError)) throw error;
          sink.reject(
            lineNo,
            text.slice(pos, Math.min(end, pos + rawLimit)),
            '(line)',
            `unreadable row: ${error.message}`,
          );
        }
      }
      pos = lf + 1;
      index += 1;
    }
  }

  private csvLine(text: string, start: number, end: number, lineNo: number, sink: RowSink): void {
    const fields = this.fields;
    if (!this.layout) {
      const count = splitCsvLine(text, start, end, this.delimiter, fields, 10_000);
      if (count < 0) throw inputError(`The header (line ${lineNo}) is not valid CSV: ${csvLineProblem(count)}.`);
      try {
        this.layout = resolveLayout(fields.slice(0, count), this.options);
      } catch (error) {
        // The header's line goes with the error; run-ingest adds the file (file:line).
        if (error instanceof SmxError)
          throw new SmxError(error.code, error.message, {
            hint: error.hint,
            details: { ...error.details, line: lineNo },
          });
        throw error;
      }
      return;
    }
    const layout = this.layout;
    const count = splitCsvLine(text, start, end, this.delimiter, fields, layout.columnCount);
    const raw = (): string => text.slice(start, Math.min(end, start + rawLimit));
    if (count < 0) return sink.reject(lineNo, raw(), '(line)', csvLineProblem(count));
    if (count !== layout.columnCount) {
      return sink.reject(
        lineNo,
        raw(),
        '(line)',
        `expected ${layout.columnCount} columns, found ${count > layout.columnCount ? 'more' : count}`,
      );
    }
    if (layout.kind === 'long') this.longRow(layout, lineNo, raw, sink);
    else this.wideRow(layout, lineNo, raw, sink);
  }

  private longRow(layout: LongLayout, lineNo: number, raw: () => string, sink: RowSink): void {
    const f = this.fields;
    const x = layout.index;
    const problem = validateTextRow(
      f[x.sensor_id]!,
      f[x.timestamp]!,
      f[x.value]!,
      x.quality >= 0 ? f[x.quality] : undefined,
      x.sensor_type >= 0 ? f[x.sensor_type] : undefined,
      x.unit >= 0 ? f[x.unit] : undefined,
      x.metadata >= 0 ? f[x.metadata] : undefined,
      this.options,
      this.out,
    );
    if (problem) sink.reject(lineNo, raw(), problem.field, problem.reason);
    else sink.row(this.out);
  }

  private wideRow(layout: WideLayout, lineNo: number, raw: () => string, sink: RowSink): void {
    const f = this.fields;
    const ts = f[layout.timeIndex]!;
    const parsed = parseTimestampText(ts, this.options);
    if (parsed < 0) return sink.reject(lineNo, raw(), 'timestamp', timestampProblem(parsed));
    const entity = layout.entityIndex >= 0 ? f[layout.entityIndex]! : undefined;
    if (entity !== undefined && entity.length === 0)
      return sink.reject(lineNo, raw(), 'sensor_id', 'empty entity column');
    for (let i = 0; i < layout.columnCount; i++) {
      const column = layout.sensorColumns[i];
      if (column === undefined) continue;
      const cell = f[i]!;
      if (cell.length === 0) {
        this.counts.emptyCells += 1;
        continue;
      }
      const sensorId = entity === undefined ? column : `${entity}.${column}`;
      const problem = validateTextRow(
        sensorId,
        ts,
        cell,
        undefined,
        undefined,
        undefined,
        undefined,
        this.options,
        this.out,
      );
      if (problem) sink.reject(lineNo, raw(), problem.field === 'value' ? column : problem.field, problem.reason);
      else sink.row(this.out);
    }
  }

  private ndjsonLine(text: string, start: number, end: number, lineNo: number, sink: RowSink): void {
    const line = text.slice(start, end);
    const raw = () => line.slice(0, rawLimit);
    let parsed: unknown;
    try {
      parsed = JSON.parse(line);
    } catch {
      return sink.reject(lineNo, raw(), '(line)', 'not valid JSON');
    }
    if (this.options.map && typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed)) {
      const record = parsed as Record<string, unknown>;
      for (const [field, column] of Object.entries(this.options.map)) {
        if (column in record) record[field] = record[column];
      }
    }
    const check = validateReading(parsed, this.options);
    if (!check.ok) return sink.reject(lineNo, raw(), check.field, check.reason);
    const r = check.reading;
    const out = this.out;
    out.sensorId = r.sensorId;
    out.tsMicros = check.tsMicros;
    out.value = r.value;
    out.quality = r.quality ?? 1;
    out.sensorType = r.sensorType;
    out.unit = r.unit;
    out.metadata = r.metadata ? JSON.stringify(r.metadata) : undefined;
    sink.row(out);
  }
}
