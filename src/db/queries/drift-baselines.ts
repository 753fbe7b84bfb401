import type { Queryable } from '../db.js';

/** Statements on drift_baselines: one row per named baseline (a pinned reference window). */
export interface DriftBaselineRow {
  name: string;
  sensorIds: string[];
  sensorType: string | null;
  windowFrom: Date;
  windowTo: Date;
  source: 'readings' | 'hourly';
  /** Readings per sensor when the baseline was set. */
  rowCounts: Record<string, number>;
  note: string | null;
  createdAt: Date;
  updatedAt: Date;
}

type Raw = {
  name: string;
  sensor_ids: string[];
  sensor_type: string | null;
  window_from: Date;
  window_to: Date;
  source: 'readings' | 'hourly';
  row_counts: Record<string, number>;
  note: string | null;
  created_at: Date;
  updated_at: Date;
};

const columns =
  'name, sensor_ids, sensor_type, window_from, window_to, source, row_counts, note, created_at, updated_at';

function fromRaw(r: Raw): DriftBaselineRow {
  return {
    name: r.name,
    sensorIds: r.sensor_ids,
    sensorType: r.sensor_type,
    windowFrom: r.window_from,
    windowTo: r.window_to,
    source: r.source,
    rowCounts: r.row_counts,
    note: r.note,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  };
}

export type NewDriftBaseline = Omit<DriftBaselineRow, 'createdAt' | 'updatedAt'>;

/** Creates the baseline, or replaces it when `replace`; returns whether a row with that name existed. */
export async function upsertDriftBaseline(
  db: Queryable,
  baseline: NewDriftBaseline,
  replace: boolean,
): Promise<{ created: boolean; conflict: boolean }> {
  const { rows } = await db.query<{ inserted: boolean }>(
    `insert into drift_baselines (name, sensor_ids, sensor_type, window_from, window_to, source, row_counts, note)
     values ($1, $2::text[], $3, $4, $5, $6, $7::jsonb, $8)
     on conflict (name) do update set
       sensor_ids = excluded.sensor_ids, sensor_type = excluded.sensor_type, window_from = excluded.window_from,
       window_to = excluded.window_to, source = excluded.source, row_counts = excluded.row_counts,
       note = excluded.note, updated_at = now()
     where $9::boolean
     returning (xmax = 0) as inserted`,
    [
      baseline.name,
      baseline.sensorIds,
      baseline.sensorType,
      baseline.windowFrom,
      baseline.windowTo,
      baseline.source,
      JSON.stringify(baseline.rowCounts),
      baseline.note,
      replace,
    ],
  );
  if (rows.length === 0) return { created: false, conflict: true };
  return { created: rows[0]!.inserted, conflict: false };
}

export async function getDriftBaseline(db: Queryable, name: string): Promise<DriftBaselineRow | undefined> {
  const { rows } = await db.query<Raw>(`select ${columns} from drift_baselines where name = $1`, [name]);
  return rows[0] ? fromRaw(rows[0]) : undefined;
}

export async function listDriftBaselines(db: Queryable): Promise<DriftBaselineRow[]> {
  const { rows } = await db.query<Raw>(`select ${columns} from drift_baselines order by name`);
  return rows.map(fromRaw);
}

/** Returns whether a baseline was deleted. */
export async function deleteDriftBaseline(db: Queryable, name: string): Promise<boolean> {
  const { rowCount } = await db.query('delete from drift_baselines where name = $1', [name]);
  return rowCount > 0;
}
