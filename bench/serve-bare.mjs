// The baseline for the serve benchmark: a bare node:http server that reads the
// body and answers 202 with a small JSON body, doing no other work.
// Usage: node bench/serve-bare.mjs [port]   (prints the URL once listening)
import http from 'node:http';

const server = http.createServer({ keepAliveTimeout: 5000 }, (req, res) => {
  const chunks = [];
  req.on('data', (c) => chunks.push(c));
  req.on('end', () => {
    const body = JSON.stringify({ status: 'accepted', accepted: 1, duplicates: 0, rejected: 0 });
    res.writeHead(202, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) });
    res.end(body);
  });
});
server.listen(Number(process.argv[2] ?? 0), '127.0.0.1', () => {
  process.stdout.write(`http://127.0.0.1:${server.address().port}\n`);
});
process.on('SIGTERM', () => server.close(() => process.exit(0)));
