// Reads V8 .cpuprofile files (node --cpu-prof) and sums self time by module and by function.
// Positions in @logos/otel's bundled dist/ are mapped back through its source maps, so time in the
// bundled OpenTelemetry SDK is charged to the package it came from. Used by bench/profile.ts.
import { existsSync, readFileSync } from 'node:fs';
import { SourceMap } from 'node:module';
import { fileURLToPath } from 'node:url';

interface ProfileNode {
  id: number;
  children?: number[];
  callFrame: { functionName: string; url: string; lineNumber: number; columnNumber: number };
}

interface Profile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

/** Self time in ms per key, largest first (idle time left out). */
export type Ranking = [string, number][];

export interface ProfileSummary {
  readonly totalMs: number;
  readonly byModule: Ranking;
  readonly byFunction: Ranking;
}

const maps = new Map<string, SourceMap | null>();

function sourceMapOf(url: string): SourceMap | null {
  let map = maps.get(url);
  if (map !== undefined) return map;
  map = null;
  try {
    const file = `${fileURLToPath(url)}.map`;
    if (existsSync(file)) map = new SourceMap(JSON.parse(readFileSync(file, 'utf8')));
  } catch {
    map = null;
  }
  maps.set(url, map);
  return map;
}

/** `pkg` for a path inside node_modules/pkg (scoped packages kept whole). */
function packageOf(path: string): string | undefined {
  const at = path.lastIndexOf('node_modules/');
  if (at === -1) return undefined;
  const parts = path.slice(at + 'node_modules/'.length).split('/');
  return parts[0]?.startsWith('@') ? `${parts[0]}/${parts[1]}` : parts[0];
}

/** Where a frame's code comes from: a package, a Node internal module, the agent's own source, or V8. */
function locate(frame: ProfileNode['callFrame']): { module: string; where: string } {
  const { url, lineNumber, columnNumber, functionName } = frame;
  if (url === '') return { module: functionName || '(native)', where: '' };
  if (url.startsWith('node:')) {
    const parts = url.slice(5).split('/');
    const module = parts[0] === 'internal' ? `node:internal/${parts[1] ?? ''}` : `node:${parts[0]}`;
    return { module: module.replace(/\.js$/, ''), where: url };
  }
  let source = url;
  let line = lineNumber;
  const map = url.startsWith('file:') && url.includes('/dist/') ? sourceMapOf(url) : null;
  if (map) {
    const entry = map.findEntry(lineNumber, columnNumber) as {
      originalSource?: string;
      originalLine?: number;
    };
    if (entry.originalSource) {
      source = entry.originalSource;
      line = entry.originalLine ?? line;
    }
  }
  const pkg = packageOf(source);
  if (pkg) return { module: pkg, where: `${source.slice(source.lastIndexOf(pkg))}:${line + 1}` };
  const own = /\/src\/([^/]+(?:\/[^/]+)?)$/.exec(source);
  if (own) return { module: `@logos/otel src/${own[1]}`, where: `src/${own[1]}:${line + 1}` };
  const file = source.slice(source.lastIndexOf('/') + 1);
  return { module: `app ${file}`, where: `${file}:${line + 1}` };
}

/**
 * A native function (a C++ builtin such as writeUtf8String) is charged to the module of the nearest
 * JavaScript frame that called it, marked "(native)"; V8's own entries ((program), GC) stay apart.
 */
function chargeTo(node: ProfileNode, parents: Map<number, ProfileNode>): { module: string; where: string } {
  const own = locate(node.callFrame);
  const name = node.callFrame.functionName;
  if (node.callFrame.url !== '' || name.startsWith('(')) return own;
  for (let up = parents.get(node.id); up !== undefined; up = parents.get(up.id)) {
    if (up.callFrame.url === '') continue;
    const caller = locate(up.callFrame);
    return {
      module: `${caller.module} (native)`,
      where: `from ${up.callFrame.functionName || '(anonymous)'} ${caller.where}`,
    };
  }
  return own;
}

function rank(map: Map<string, number>, top: number): Ranking {
  return [...map.entries()].sort((a, b) => b[1] - a[1]).slice(0, top);
}

/**
 * Sums the self time of one or more profiles (e.g. both processes of the chain); with `fromMs`, only
 * the samples taken that long after each profile started (the steady state, start-up left out).
 */
export function summarizeProfiles(files: readonly string[], top = 15, fromMs = 0): ProfileSummary {
  const byModule = new Map<string, number>();
  const byFunction = new Map<string, number>();
  let totalMs = 0;
  for (const file of files) {
    const profile = JSON.parse(readFileSync(file, 'utf8')) as Profile;
    const nodes = new Map(profile.nodes.map((n) => [n.id, n]));
    const parents = new Map<number, ProfileNode>();
    for (const n of profile.nodes) for (const child of n.children ?? []) parents.set(child, n);
    const selfUs = new Map<number, number>();
    let at = 0;
    profile.samples.forEach((id, i) => {
      const delta = profile.timeDeltas[i] ?? 0;
      at += delta;
      if (at >= fromMs * 1000) selfUs.set(id, (selfUs.get(id) ?? 0) + delta);
    });
    for (const [id, us] of selfUs) {
      const node = nodes.get(id);
      // Idle time is not cost: the shares are of the time the process was busy.
      if (node === undefined || node.callFrame.functionName === '(idle)') continue;
      const ms = us / 1000;
      totalMs += ms;
      const { module, where } = chargeTo(node, parents);
      byModule.set(module, (byModule.get(module) ?? 0) + ms);
      const fn = `${node.callFrame.functionName || '(anonymous)'}${where ? ` ${where}` : ''}`;
      byFunction.set(fn, (byFunction.get(fn) ?? 0) + ms);
    }
  }
  return { totalMs, byModule: rank(byModule, top), byFunction: rank(byFunction, top) };
}
