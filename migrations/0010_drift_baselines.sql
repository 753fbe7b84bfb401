-- Named drift baselines: a reference window that does not move with the alarm
-- (`smx drift baseline set NAME --sensor…|--sensor-type T --window A..B`). The
-- definition is stored, with the sensors it resolved to and how many readings
-- each had when it was set, so a check can say when retention has since
-- dropped part of the window.
create table drift_baselines (
  name         text primary key check (name ~ '^[A-Za-z0-9][A-Za-z0-9_.:-]{0,99}$'),
  sensor_ids   text[] not null check (cardinality(sensor_ids) > 0),
  sensor_type  text,
  window_from  timestamptz not null,
  window_to    timestamptz not null check (window_to > window_from),
  source       text not null default 'readings' check (source in ('readings', 'hourly')),
  row_counts   jsonb not null default '{}'::jsonb,
  note         text,
  created_at   timestamptz not null default now(),
  updated_at   timestamptz not null default now()
);
