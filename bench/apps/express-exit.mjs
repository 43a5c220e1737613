// Start-up benchmark app: an Express 5 service (ESM) that sets up its routes and exits at once
// without listening. Prints its peak RSS (KiB) on the way out.
import { writeSync } from 'node:fs';
import express from 'express';

const app = express();
app.use(express.json());
app.get('/items/:id', (req, res) => {
  res.json({ id: req.params.id });
});
app.post('/items', (req, res) => {
  res.status(201).json(req.body);
});
process.on('exit', () => writeSync(1, `${JSON.stringify({ maxRssKiB: process.resourceUsage().maxRSS })}\n`));
