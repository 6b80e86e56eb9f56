// A deterministic synthetic population for the base registries: persons in households (the
// population register) and the legal entities they represent. Same options, same bytes: the
// only randomness is a seeded PRNG, and every date is relative to `asOf`, never to today.
//
// Both generators stream. A household is a pure function of (seed, index) and an entity of
// (seed, k), so memory stays flat whatever the size: the division list, a few word tables,
// and the household being written.
import { LEGAL_ENTITIES } from '../definitions/legal-entities.ts';
import { POPULATION } from '../definitions/population.ts';
import { entityAt, type EntityRecord } from './entities.ts';
import { householdPersons, type PersonRecord } from './households.ts';
import { createLayout, type GenerateOptions, type Layout } from './layout.ts';

export type { EntityRecord } from './entities.ts';
export type { PersonRecord } from './households.ts';
export { DEFAULT_AS_OF, DEFAULT_SEED, type GenerateOptions } from './layout.ts';
export { expandDivisions } from './divisions.ts';

/** The columns of a CSV file: the registry definitions' field names, in their order. */
export const PERSON_FIELDS: readonly string[] = POPULATION.fields.map((f) => f.name);
export const ENTITY_FIELDS: readonly string[] = LEGAL_ENTITIES.fields.map((f) => f.name);

export type Population = {
  layout: Layout;
  persons(): Iterable<PersonRecord>;
  entities(): Iterable<EntityRecord>;
};

/** Plans the population once (households and ID capacity), for both record streams. */
export function createPopulation(options: GenerateOptions): Population {
  const layout = createLayout(options);
  return {
    layout,
    *persons() {
      for (let h = 0; h < layout.households; h++) yield* householdPersons(layout, h);
    },
    *entities() {
      for (let k = 0; k < layout.entities; k++) yield entityAt(layout, k);
    },
  };
}

export function generatePersons(options: GenerateOptions): Iterable<PersonRecord> {
  return createPopulation(options).persons();
}

export function generateEntities(options: GenerateOptions): Iterable<EntityRecord> {
  return createPopulation(options).entities();
}
