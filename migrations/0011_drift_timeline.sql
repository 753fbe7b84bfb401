-- A drift timeline stores one drift_checks row per chunk: `kind` tells a
-- chunk from a one-off check, `run_id` groups the chunks of one timeline run,
-- and the chunk's own window is kept as timestamps so chunks can be listed in
-- time order and a run's chunks replaced when it is run again.
alter table drift_checks
  add column kind        text not null default 'check' check (kind in ('check', 'timeline-chunk')),
  add column run_id      uuid,
  add column window_from timestamptz,
  add column window_to   timestamptz;
create index drift_checks_run_idx on drift_checks (run_id, window_from) where run_id is not null;
-- Checks with calibrated effect floors record what they measured under report.calibration; the next check of
-- the same key (subject, reference, season, window length) rebuilds its floors from the latest of them.
create index drift_checks_calibration_idx on drift_checks ((report -> 'calibration' ->> 'key'), window_to desc)
  where report ? 'calibration';
