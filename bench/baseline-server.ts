// The baseline for the throughput and memory benchmarks: a bare Fastify route that returns
// a fixed JSON body from memory, with nothing else (no database, no auth, no plugins).
import fs from 'node:fs';
import Fastify from 'fastify';

const body = fs.readFileSync(process.argv[2], 'utf8');
const app = Fastify({ logger: false });
app.get('/api/health', async () => ({ status: 'ok' }));
app.get('/api/organizations', async (_request, reply) => reply.type('application/json; charset=utf-8').send(body));
await app.listen({ port: Number(process.argv[3]), host: '127.0.0.1' });
process.on('SIGTERM', () => app.close().then(() => process.exit(0)));
