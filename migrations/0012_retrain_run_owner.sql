-- Which process runs a retrain and until when its lease holds. A run whose
-- watcher died (kill -9) stays 'running'; the next run of that model, holding
-- the model's advisory lock, knows no one else can be running it, marks such
-- rows failed ("orphaned") and retries their event. The lease (renewed while
-- the run is alive) lets `smx retrain --history` show a stale run before that.
alter table retrain_runs
  add column owner       text,
  add column lease_until timestamptz;
create index retrain_runs_running_idx on retrain_runs (model_name) where status = 'running';
