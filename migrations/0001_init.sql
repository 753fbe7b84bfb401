-- smx schema, part 1: everything the toolkit stores. See docs/schema.md for why each table exists.
-- Every unique key on readings includes sensor_id, so the table can be distributed by sensor_id (Citus).

create table sensors (
  sensor_id   text primary key check (length(sensor_id) between 1 and 200),
  sensor_type text not null default 'general',
  unit        text,
  metadata    jsonb not null default '{}'::jsonb,
  created_at  timestamptz not null default now()
);

-- Readings. `xid` is the writing transaction's id (xid8 as bigint, so BRIN can index it): incremental export uses
-- transaction snapshots rather than timestamps, so late rows and out-of-order
-- commits are exported exactly once (docs/decisions.md).
-- Plain PostgreSQL: declarative partitions by week. With the timescaledb
-- extension available: a hypertable with 7-day chunks, compression after 7 days
-- and retention of 180 days, as the seed configured.
do $$
begin
  if exists (select 1 from pg_available_extensions where name = 'timescaledb') then
    create extension if not exists timescaledb;
    create table sensor_readings (
      sensor_id text not null,
      ts        timestamptz not null,
      value     double precision not null,
      quality   real not null default 1 check (quality >= 0 and quality <= 1),
      batch_id  bigint,
      xid       bigint not null default (pg_current_xact_id()::text::bigint),
      primary key (sensor_id, ts)
    );
    perform create_hypertable('sensor_readings', 'ts', chunk_time_interval => interval '7 days');
    execute 'alter table sensor_readings set (timescaledb.compress, timescaledb.compress_segmentby = ''sensor_id'')';
    perform add_compression_policy('sensor_readings', interval '7 days');
    perform add_retention_policy('sensor_readings', interval '180 days');
  else
    create table sensor_readings (
      sensor_id text not null,
      ts        timestamptz not null,
      value     double precision not null,
      quality   real not null default 1 check (quality >= 0 and quality <= 1),
      batch_id  bigint,
      xid       bigint not null default (pg_current_xact_id()::text::bigint),
      primary key (sensor_id, ts)
    ) partition by range (ts);
  end if;
end $$;

-- Weekly partitions (7-day chunks, as the seed's hypertable) created on demand
-- by writers through smx_ensure_partitions(); there is no default partition, so
-- a partition can always be created for any range later.
create function smx_ensure_partitions(from_ts timestamptz, to_ts timestamptz) returns integer
language plpgsql as $$
declare
  week_start timestamptz := date_trunc('week', from_ts at time zone 'UTC') at time zone 'UTC';
  created integer := 0;
  part_name text;
begin
  if from_ts is null or to_ts is null then return 0; end if;
  -- A hypertable (timescaledb) makes its own chunks.
  if (select relkind from pg_class where oid = 'sensor_readings'::regclass) <> 'p' then return 0; end if;
  if to_ts - from_ts > interval '20 years' then
    raise exception 'refusing to create partitions for a range of % (from % to %)', to_ts - from_ts, from_ts, to_ts
      using errcode = '22008';
  end if;
  while week_start <= to_ts loop
    part_name := 'sensor_readings_' || to_char(week_start at time zone 'UTC', 'IYYY"w"IW');
    if to_regclass(part_name) is null then
      begin
        execute format('create table %I partition of sensor_readings for values from (%L) to (%L)',
                       part_name, week_start, week_start + interval '7 days');
        created := created + 1;
      exception when duplicate_table then
        null; -- a concurrent writer created it first
      end;
    end if;
    week_start := week_start + interval '7 days';
  end loop;
  return created;
end $$;

-- Drops whole weekly partitions older than the cutoff (retention). Hourly aggregates are kept.
create function smx_drop_partitions_before(cutoff timestamptz) returns integer
language plpgsql as $$
declare
  part record;
  dropped integer := 0;
begin
  if (select relkind from pg_class where oid = 'sensor_readings'::regclass) <> 'p' then
    execute 'select count(*) from drop_chunks(''sensor_readings'', older_than => $1)' into dropped using cutoff;
    return dropped;
  end if;
  for part in
    select c.relname, pg_get_expr(c.relpartbound, c.oid) as bound
    from pg_inherits i join pg_class c on c.oid = i.inhrelid
    where i.inhparent = 'sensor_readings'::regclass
  loop
    if (regexp_match(part.bound, 'TO \(''([^'']+)''\)'))[1]::timestamptz <= cutoff then
      execute format('drop table %I', part.relname);
      dropped := dropped + 1;
    end if;
  end loop;
  return dropped;
end $$;

create index sensor_readings_ts_idx on sensor_readings using brin (ts);
create index sensor_readings_xid_idx on sensor_readings using brin (xid);

-- Hourly aggregates per sensor, kept fresh incrementally by a statement trigger
-- that folds each insert's new rows in (sum and count, so avg stays exact).
create table sensor_readings_hourly (
  sensor_id text not null,
  bucket    timestamptz not null,
  count     bigint not null,
  sum       double precision not null,
  min       double precision not null,
  max       double precision not null,
  primary key (sensor_id, bucket)
);

create view sensor_hourly as
  select sensor_id, bucket, count, sum / nullif(count, 0) as avg, min, max from sensor_readings_hourly;

create function smx_fold_hourly() returns trigger
language plpgsql as $$
begin
  insert into sensor_readings_hourly as h (sensor_id, bucket, count, sum, min, max)
  select sensor_id, date_trunc('hour', ts at time zone 'UTC') at time zone 'UTC', count(*), sum(value), min(value), max(value)
  from new_rows
  group by 1, 2
  order by 1, 2
  on conflict (sensor_id, bucket) do update
    set count = h.count + excluded.count,
        sum   = h.sum + excluded.sum,
        min   = least(h.min, excluded.min),
        max   = greatest(h.max, excluded.max);
  return null;
end $$;

-- Hypertables do not support transition tables; there a row trigger does the same fold.
create function smx_fold_hourly_row() returns trigger
language plpgsql as $$
begin
  insert into sensor_readings_hourly as h (sensor_id, bucket, count, sum, min, max)
  values (new.sensor_id, date_trunc('hour', new.ts at time zone 'UTC') at time zone 'UTC', 1, new.value, new.value, new.value)
  on conflict (sensor_id, bucket) do update
    set count = h.count + 1, sum = h.sum + excluded.sum,
        min = least(h.min, excluded.min), max = greatest(h.max, excluded.max);
  return null;
end $$;

do $$
begin
  if (select relkind from pg_class where oid = 'sensor_readings'::regclass) = 'p' then
    create trigger sensor_readings_fold_hourly after insert on sensor_readings
      referencing new table as new_rows for each statement execute function smx_fold_hourly();
  else
    create trigger sensor_readings_fold_hourly_row after insert on sensor_readings
      for each row execute function smx_fold_hourly_row();
  end if;
end $$;

-- One row per ingest run. The unique idempotency key makes a repeated load a no-op,
-- enforced by Postgres whether or not Redis is up.
create table ingest_batches (
  batch_id        bigserial primary key,
  idempotency_key text not null unique,
  source          text not null,
  status          text not null default 'running' check (status in ('running', 'committed', 'failed')),
  rows_read       bigint not null default 0,
  rows_inserted   bigint not null default 0,
  duplicates      bigint not null default 0,
  rejected        bigint not null default 0,
  started_at      timestamptz not null default now(),
  finished_at     timestamptz,
  summary         jsonb not null default '{}'::jsonb
);

-- Incremental export state: the transaction snapshot up to which rows were exported.
create table export_watermarks (
  state_name     text primary key,
  snapshot       pg_snapshot not null,
  rows_exported  bigint not null default 0,
  runs           bigint not null default 0,
  last_output    text,
  updated_at     timestamptz not null default now()
);

create table drift_checks (
  id             bigserial primary key,
  created_at     timestamptz not null default now(),
  subject        text not null,
  reference_desc text not null,
  current_desc   text not null,
  drifted        boolean not null,
  share_drifted  double precision not null,
  report         jsonb not null
);
create index drift_checks_subject_idx on drift_checks (subject, created_at desc);

create table retrain_runs (
  id                 bigserial primary key,
  model_name         text not null,
  trigger            text not null,
  event_id           text,
  status             text not null default 'running' check (status in ('running', 'promoted', 'rejected', 'failed', 'skipped')),
  started_at         timestamptz not null default now(),
  finished_at        timestamptz,
  data_window        jsonb not null default '{}'::jsonb,
  champion_version   text,
  challenger_version text,
  champion_metrics   jsonb,
  challenger_metrics jsonb,
  reason             text
);
create index retrain_runs_model_idx on retrain_runs (model_name, started_at desc);

-- Events outbox (the bus when Redis is not configured). Deliveries are per consumer group.
create table events (
  id         bigserial primary key,
  event_id   uuid not null unique,
  type       text not null,
  payload    jsonb not null,
  created_at timestamptz not null default now()
);
create index events_type_idx on events (type, id);

create table event_deliveries (
  event_id        uuid not null references events (event_id) on delete cascade,
  consumer_group  text not null,
  status          text not null default 'pending' check (status in ('pending', 'done', 'dead')),
  attempts        integer not null default 0,
  next_attempt_at timestamptz not null default now(),
  locked_until    timestamptz,
  last_error      text,
  updated_at      timestamptz not null default now(),
  primary key (event_id, consumer_group)
);
create index event_deliveries_ready_idx on event_deliveries (consumer_group, next_attempt_at) where status = 'pending';

-- API keys: only a SHA-256 of the key is stored; the prefix identifies it in listings.
create table api_keys (
  id           bigserial primary key,
  name         text not null,
  key_prefix   text not null unique,
  key_hash     bytea not null,
  created_at   timestamptz not null default now(),
  revoked_at   timestamptz,
  last_used_at timestamptz
);

-- Postgres-backed stand-in for Redis keys with a TTL (idempotency, cooldowns) when Redis is absent.
create table smx_kv (
  key        text primary key,
  value      text not null,
  expires_at timestamptz
);
