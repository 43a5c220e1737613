// The concepts Hermes' vector store starts with: a slice of the Logos knowledge base (lab work,
// household tasks, logistics), so searches return plausible neighbours. Loaded by vector-store.ts.

/** One seed concept: a stable id and the text its vector is made from. */
export interface SeedConcept {
  readonly id: string;
  readonly label: string;
}

const LABELS = [
  'clean the lab bench',
  'tidy the workshop tools',
  'sort samples into labelled boxes',
  'store reagents on the shelves',
  'dispose of chemical waste safely',
  'calibrate the robot arm',
  'inspect safety equipment',
  'restock gloves and pipette tips',
  'label sample tubes',
  'log experiment results',
  'sterilise glassware',
  'defrost the sample freezer',
  'wash the dishes',
  'set the kitchen table',
  'water the garden plants',
  'vacuum the office floor',
  'empty the recycling bins',
  'fold the laundry',
  'load boxes onto the truck',
  'count the warehouse inventory',
  'route deliveries to the dock',
  'charge the robot battery',
  'map the room layout',
  'find a free path to the door',
  'pick up a cup from the table',
  'place an object on the shelf',
  'open the cabinet door',
  'schedule a maintenance check',
  'write a short status report',
  'ask a person for help',
  'wait for the experiment to finish',
  'measure the room temperature',
  'close the windows at night',
  'turn off the lab equipment',
  'plan the next day of work',
  'prioritise urgent tasks',
] as const;

/** The seed concepts, with ids `concept:1` ... in list order. */
export const SEED_CONCEPTS: readonly SeedConcept[] = LABELS.map((label, index) => ({
  id: `concept:${index + 1}`,
  label,
}));
