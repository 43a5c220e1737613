// A deterministic local stand-in for the HCG (hybrid causal graph), a graph database in production:
// in-memory nodes and causal edges behind an async client, each call in a `sophia.hcg.*` span.
// Seeded with a few lab and household facts. Loaded by server.ts, used by planner.ts.
import { withSpan } from '@logos/otel';

/** A node of the graph: an action or concept, a state it leads to, a goal or a plan step. */
export interface GraphNode {
  readonly id: string;
  readonly kind: 'action' | 'state' | 'goal' | 'step';
  readonly label: string;
}

/** A directed edge: `from` causes, enables or is part of `to`. */
export interface GraphEdge {
  readonly from: string;
  readonly to: string;
  readonly relation: 'causes' | 'enables' | 'part_of' | 'precedes';
}

/** A part of the graph: some nodes and the edges among and around them. */
export interface Subgraph {
  readonly nodes: GraphNode[];
  readonly edges: GraphEdge[];
}

// Action -> effect facts; action labels match concepts in Hermes' vector store.
const SEED: readonly (readonly [string, GraphEdge['relation'], string])[] = [
  ['clean the lab bench', 'causes', 'bench is clear'],
  ['store reagents on the shelves', 'causes', 'bench is clear'],
  ['turn off the lab equipment', 'causes', 'lab is safe to leave'],
  ['dispose of chemical waste safely', 'causes', 'lab is safe to leave'],
  ['sort samples into labelled boxes', 'causes', 'samples are traceable'],
  ['label sample tubes', 'causes', 'samples are traceable'],
  ['charge the robot battery', 'enables', 'calibrate the robot arm'],
  ['calibrate the robot arm', 'enables', 'pick up a cup from the table'],
  ['wash the dishes', 'causes', 'kitchen is clean'],
  ['tidy the workshop tools', 'causes', 'tools are easy to find'],
];

/** The graph client: read a neighbourhood, write a plan. */
export class CausalGraph {
  readonly #nodes = new Map<string, GraphNode>();
  readonly #edges: GraphEdge[] = [];

  constructor() {
    for (const [cause, relation, effect] of SEED) {
      const from = this.#ensure('action', cause);
      const to = this.#ensure(relation === 'enables' ? 'action' : 'state', effect);
      this.#edges.push({ from: from.id, to: to.id, relation });
    }
  }

  /** The nodes labelled with one of `labels` and their direct effects (span `sophia.hcg.read`). */
  async neighbourhood(labels: readonly string[]): Promise<Subgraph> {
    return withSpan(
      'sophia.hcg.read',
      { 'hcg.query': 'neighbourhood', 'hcg.label_count': labels.length },
      async (span) => {
        const wanted = new Set(labels);
        const start = [...this.#nodes.values()].filter((node) => wanted.has(node.label));
        const ids = new Set(start.map((node) => node.id));
        const edges = this.#edges.filter((edge) => ids.has(edge.from));
        for (const edge of edges) ids.add(edge.to);
        const nodes = [...ids].flatMap((id) => this.#nodes.get(id) ?? []);
        span.setAttributes({ 'hcg.node_count': nodes.length, 'hcg.edge_count': edges.length });
        return { nodes, edges };
      },
    );
  }

  /** Adds a goal node and its steps, linked in order (span `sophia.hcg.write`). */
  async addPlan(planId: string, goal: string, steps: readonly string[]): Promise<void> {
    return withSpan('sophia.hcg.write', { 'hcg.plan_id': planId }, async (span) => {
      const goalNode: GraphNode = { id: `goal:${planId}`, kind: 'goal', label: goal };
      const stepNodes = steps.map(
        (label, index): GraphNode => ({ id: `step:${planId}:${index + 1}`, kind: 'step', label }),
      );
      const edges: GraphEdge[] = [];
      let previous: GraphNode | undefined;
      for (const node of stepNodes) {
        edges.push({ from: node.id, to: goalNode.id, relation: 'part_of' });
        if (previous) edges.push({ from: previous.id, to: node.id, relation: 'precedes' });
        previous = node;
      }
      for (const node of [goalNode, ...stepNodes]) this.#nodes.set(node.id, node);
      this.#edges.push(...edges);
      span.setAttributes({
        'hcg.node_count': 1 + stepNodes.length,
        'hcg.edge_count': edges.length,
        'hcg.total_node_count': this.#nodes.size,
      });
    });
  }

  #ensure(kind: GraphNode['kind'], label: string): GraphNode {
    const existing = [...this.#nodes.values()].find((node) => node.label === label);
    if (existing) return existing;
    const node: GraphNode = { id: `node:${this.#nodes.size + 1}`, kind, label };
    this.#nodes.set(node.id, node);
    return node;
  }
}
