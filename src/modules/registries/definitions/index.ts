// The four base registries the framework asks for first.
import { GEOSPATIAL } from './geospatial.ts';
import { LEGAL_ENTITIES } from './legal-entities.ts';
import { MACROECONOMIC } from './macroeconomic.ts';
import { POPULATION } from './population.ts';

export { CODE_LISTS } from './code-lists.ts';
export { GEOSPATIAL, LEGAL_ENTITIES, MACROECONOMIC, POPULATION };
export const BASE_REGISTRIES = [POPULATION, LEGAL_ENTITIES, GEOSPATIAL, MACROECONOMIC];
