// Helper processes for bench/exchange.ts, one per role so each has its own event loop:
//   backend <port>          answers every POST with a 1 KB JSON body;
//   proxy <port> <target>   a bare node:http reverse proxy doing no security work.
import http from 'node:http';

const [role, portArg, target] = process.argv.slice(2);
const port = Number(portArg);
const answer = JSON.stringify({ ok: true, padding: 'x'.repeat(1000) });

const server =
  role === 'backend'
    ? http.createServer((req, res) => {
        req.resume();
        req.on('end', () => {
          res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(answer) });
          res.end(answer);
        });
      })
    : http.createServer((req, res) => {
        const url = new URL(req.url ?? '/', target);
        const upstream = http.request(url, { method: req.method, headers: { 'content-type': req.headers['content-type'] ?? 'application/json', ...(req.headers['content-length'] ? { 'content-length': req.headers['content-length'] } : {}) }, agent: keepAlive }, (response) => {
          res.writeHead(response.statusCode ?? 502, { 'content-type': response.headers['content-type'] ?? 'application/json', ...(response.headers['content-length'] ? { 'content-length': response.headers['content-length'] } : {}) });
          response.pipe(res);
        });
        upstream.on('error', () => res.writeHead(502).end());
        req.pipe(upstream);
      });
const keepAlive = new http.Agent({ keepAlive: true, maxSockets: 64 });
server.listen(port, '127.0.0.1', () => process.stdout.write('ready\n'));
process.on('SIGTERM', () => server.close(() => process.exit(0)));
