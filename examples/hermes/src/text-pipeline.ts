// Hermes' NLP pipeline: tokenising, normalising and a small rule-based entity recogniser. Pure
// functions, loaded by operations.ts; a deterministic local stand-in for the real spaCy pipeline.

/** An entity found in a text, with its character offset (in the text's NFKC form). */
export interface Entity {
  readonly text: string;
  readonly type: 'location' | 'object' | 'quantity' | 'name';
  readonly start: number;
}

const TOKEN = /[\p{L}\p{N}]+(?:['’-][\p{L}\p{N}]+)*/gu;

// A small gazetteer: the real pipeline learns these; the stand-in only knows the lab's vocabulary.
const LOCATIONS = 'lab laboratory kitchen office warehouse garden workshop room dock';
const OBJECTS =
  'bench shelf shelves sample samples reagent reagents tool tools box boxes robot arm cup cups table door';
const GAZETTEER: ReadonlyMap<string, Entity['type']> = new Map([
  ...LOCATIONS.split(' ').map((word) => [word, 'location'] as const),
  ...OBJECTS.split(' ').map((word) => [word, 'object'] as const),
]);

/** Lower-case word tokens; punctuation is dropped, inner hyphens and apostrophes are kept. */
export function tokenise(text: string): string[] {
  return Array.from(text.normalize('NFKC').toLowerCase().matchAll(TOKEN), (match) => match[0]);
}

/** The text in canonical form: NFKC, lower case, single spaces, no trailing full stop. */
export function normalise(text: string): string {
  return text
    .normalize('NFKC')
    .toLowerCase()
    .replace(/\s+/g, ' ')
    .trim()
    .replace(/[.!]+$/, '');
}

/** Entities in `text`: gazetteer words, numbers, and capitalised words that do not open a sentence. */
export function findEntities(text: string): Entity[] {
  const entities: Entity[] = [];
  const source = text.normalize('NFKC');
  for (const match of source.matchAll(TOKEN)) {
    const word = match[0];
    const start = match.index;
    const known = GAZETTEER.get(word.toLowerCase());
    if (known !== undefined) entities.push({ text: word.toLowerCase(), type: known, start });
    else if (/^\p{N}+$/u.test(word)) entities.push({ text: word, type: 'quantity', start });
    else if (/^\p{Lu}/u.test(word) && !opensSentence(source, start))
      entities.push({ text: word, type: 'name', start });
  }
  return entities;
}

function opensSentence(text: string, start: number): boolean {
  const before = text.slice(0, start).trimEnd();
  return before === '' || /[.!?]$/.test(before);
}
