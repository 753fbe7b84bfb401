import type { Clock } from '../clock.js';
import type { Db } from '../db/db.js';
import type { GroupCommit } from './group-commit.js';
import type { Idempotency } from './idempotency.js';
import type { Route } from './router.js';
import { checkDrift } from './routes/check-drift.js';
import { liveness, readiness } from './routes/health.js';
import { ingest, type IngestDeps } from './routes/ingest.js';
import type { ServerMetrics } from './server-metrics.js';

export interface RouteTableDeps<Row> {
  db: Db;
  metrics: ServerMetrics;
  batcher: GroupCommit<Row, boolean>;
  idempotency: Idempotency;
  validate: IngestDeps<Row>['validate'];
  limits: { ingestPerMinute: number; driftPerMinute: number };
  pingRedis?: (() => Promise<unknown>) | undefined;
  now: Clock;
}

/** Every route `smx serve` answers (docs/api.md describes them). */
export function routeTable<Row>(deps: RouteTableDeps<Row>): Route[] {
  const { db, metrics, limits } = deps;
  return [
    { name: '/health', method: 'GET', auth: false, handler: liveness(deps.now) },
    {
      name: '/health/ready',
      method: 'GET',
      auth: false,
      handler: readiness({ db, pingRedis: deps.pingRedis, now: deps.now }),
    },
    {
      name: '/metrics',
      method: 'GET',
      auth: false,
      handler: async () => ({
        status: 200,
        text: metrics.render(),
        contentType: 'text/plain; version=0.0.4; charset=utf-8',
      }),
    },
    {
      name: '/api/v1/data/ingest',
      method: 'POST',
      auth: true,
      perMinute: limits.ingestPerMinute,
      handler: ingest({ validate: deps.validate, batcher: deps.batcher, idempotency: deps.idempotency, metrics }),
    },
    {
      name: '/api/v1/ml/check_drift',
      method: 'POST',
      auth: true,
      perMinute: limits.driftPerMinute,
      handler: checkDrift({ db, now: deps.now }),
    },
  ];
}
