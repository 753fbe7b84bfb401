-- wrk script for `smx serve` ingest: one new reading per POST (unique sensor
-- and timestamp per request, so every row is stored, none is a duplicate).
-- Usage: SMX_API_KEY=... wrk -t2 -c64 -d30s -s bench/serve-ingest.lua http://127.0.0.1:8000
local threads = 0

function setup(thread)
  threads = threads + 1
  thread:set("tid", threads)
end

function init(args)
  counter = 0
  run = os.time() % 100000
  base = os.time() * 1000
  wrk.method = "POST"
  wrk.path = "/api/v1/data/ingest"
  wrk.headers["Content-Type"] = "application/json"
  wrk.headers["X-API-Key"] = os.getenv("SMX_API_KEY") or ""
end

function request()
  counter = counter + 1
  local body = string.format('{"sensor_id":"wrk-%d-%d-%d","value":%.3f,"timestamp":%d}',
    run, tid, counter % 100, 20 + (counter % 97) / 10, base + counter)
  return wrk.format(nil, nil, nil, body)
end

function done(summary, latency, requests)
  io.write(string.format("non-2xx: %d, socket errors: connect %d read %d write %d timeout %d\n",
    summary.errors.status, summary.errors.connect, summary.errors.read, summary.errors.write, summary.errors.timeout))
end
