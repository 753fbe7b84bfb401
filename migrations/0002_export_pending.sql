-- Incremental export, crash-safe: a run records the snapshot it is about to export
-- up to and the file it will write (pending_*) before writing it. A run that dies
-- after renaming the file but before advancing `snapshot` is completed by the next
-- run (the file exists: advance); one that dies earlier is redone exactly (the same
-- rows: visible in pending_snapshot and not in snapshot, into the same file name).
alter table export_watermarks
  add column pending_snapshot pg_snapshot,
  add column pending_output   text,
  add column filters          jsonb;
