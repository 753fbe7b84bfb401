-- Consumer groups of the Postgres events outbox and the event types each one
-- receives. Publishing an event inserts one event_deliveries row per group
-- subscribed to its type, in the publishing transaction, so an event published
-- while every consumer of a group is down still waits for that group (the
-- seed's Pub/Sub lost such events). Redis keeps the same facts in its
-- stream consumer groups.
create table event_groups (
  consumer_group text not null,
  event_type     text not null,
  created_at     timestamptz not null default now(),
  primary key (consumer_group, event_type)
);
create index event_groups_type_idx on event_groups (event_type);

-- Dead letters are listed per group, newest failure first.
create index event_deliveries_dead_idx on event_deliveries (consumer_group, updated_at desc) where status = 'dead';
