// Throughput benchmark app: a bare node:http service (ESM) answering every request with a short
// text. Listens on 127.0.0.1 and a free port; prints {"port"} when ready. Also the chain's leaf.
// BENCH_EXIT_AFTER_MS makes it exit normally after that long, so that --cpu-prof writes its profile.
import { createServer } from 'node:http';

const server = createServer((_req, res) => {
  res.setHeader('content-type', 'text/plain');
  res.end('hello');
});
server.listen(0, '127.0.0.1', () => console.log(JSON.stringify({ port: server.address().port })));
if (process.env.BENCH_EXIT_AFTER_MS)
  setTimeout(() => process.exit(0), Number(process.env.BENCH_EXIT_AFTER_MS));
