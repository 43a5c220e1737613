// Start-up benchmark app: the smallest ESM service, which builds an HTTP server and exits at once
// without listening. Prints its peak RSS (KiB) on the way out.
import { writeSync } from 'node:fs';
import { createServer } from 'node:http';

createServer((_req, res) => res.end('ok'));
process.on('exit', () => writeSync(1, `${JSON.stringify({ maxRssKiB: process.resourceUsage().maxRSS })}\n`));
