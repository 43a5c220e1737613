// Throughput benchmark app: an Express 5 service (ESM) whose GET /chain calls LEAF_URL with fetch
// and answers with what it got: the express -> fetch -> http chain. Prints {"port"} when ready.
// BENCH_EXIT_AFTER_MS makes it exit normally after that long, so that --cpu-prof writes its profile.
import express from 'express';

const leaf = process.env.LEAF_URL;
if (!leaf) throw new Error('LEAF_URL is required');
const app = express();
app.get('/chain', async (_req, res) => {
  const answer = await fetch(leaf);
  res.json({ leaf: await answer.text() });
});
const server = app.listen(0, '127.0.0.1', () => console.log(JSON.stringify({ port: server.address().port })));
if (process.env.BENCH_EXIT_AFTER_MS)
  setTimeout(() => process.exit(0), Number(process.env.BENCH_EXIT_AFTER_MS));
