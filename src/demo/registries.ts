// The demo's base registries: the four registries installed with the departments that own
// them (public security, market regulation, natural resources, statistics), a small
// synthetic population over the demo county loaded through the same import every operator
// uses (checked row by row, one audit event), and the geospatial and macroeconomic figures.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Services } from '../app.ts';
import { localOperator } from '../platform/actor.ts';
import { GEOSPATIAL, LEGAL_ENTITIES, MACROECONOMIC, POPULATION } from '../modules/registries/index.ts';
import { createPopulation, ENTITY_FIELDS, PERSON_FIELDS } from '../modules/registries/generate/generate.ts';
import { writeRecords } from '../modules/registries/generate/output.ts';
import { hashFile } from '../modules/registries/imports/index.ts';
import { DEMO_DIVISIONS } from './dataset.ts';

/** Small enough to seed in seconds, large enough to page and search through. */
export const DEMO_PERSONS = 240;
export const DEMO_ENTITIES = 24;
/** The demo's only county; its codes are local (decision 0004). */
const DEMO_COUNTY = '990121';

/** Which demo department owns which registry. */
export const REGISTRY_OWNERS = [
  [POPULATION, 'psb'],
  [LEGAL_ENTITIES, 'amr'],
  [GEOSPATIAL, 'nr'],
  [MACROECONOMIC, 'stats'],
] as const;

export async function seedRegistriesDemo(services: Services, orgIds: Map<string, string>): Promise<void> {
  const op = localOperator('seed');
  const registries = services.registries;
  for (const [definition, owner] of REGISTRY_OWNERS) await registries.catalog.install(op, definition, orgIds.get(owner)!);
  await registries.geo.seedDemo(op);
  await registries.macro.seedDemo(op);

  const population = createPopulation({
    persons: DEMO_PERSONS,
    entities: DEMO_ENTITIES,
    divisions: [DEMO_COUNTY],
    localDivisions: DEMO_DIVISIONS.map((d) => ({ ...d, parent: d.parent ?? undefined, source: 'demo' })),
  });
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'egov-demo-'));
  try {
    // Persons first: every entity's representative must exist.
    for (const [registry, records, fields] of [
      ['population', population.persons(), PERSON_FIELDS],
      ['legal-entities', population.entities(), ENTITY_FIELDS],
    ] as const) {
      const file = path.join(dir, `${registry}.jsonl`);
      await writeRecords(fs.createWriteStream(file), records as Iterable<object>, { format: 'jsonl', fields });
      await registries.imports.importRecords(op, registry, await hashFile(file), { format: 'jsonl', fileName: `demo-${registry}.jsonl`, reason: '演示数据 / demo data' });
    }
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
