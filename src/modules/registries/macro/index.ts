// The macroeconomic database (宏观经济数据库): indicators with their unit, frequency and
// aggregation rule, and observations by division and period with every published revision.
// It reads and writes SDMX-CSV and plain CSV, answers series, cross-sections and roll-ups
// along the division tree, and any answer "as published on" a past date. It belongs to the
// registries module: the registry `macroeconomic` gives it its owner and title.
import type { App } from '../../../http/server.ts';
import type { Operator } from '../../../platform/actor.ts';
import { registerMacroRoutes } from './routes.ts';
import { seedMacroDemo as seed } from './seed.ts';
import { createMacroExchangeBackend } from './exchange-backend.ts';
import type { FindOrganization } from '../exchange-kit.ts';
import { createMacroService, type MacroDeps, type MacroService } from './service.ts';

export type { AggregateAnswer, Coverage, CrossSectionAnswer, Indicator, ImportResult, MacroService, Observation, Revision, SeriesAnswer } from './service.ts';
export { parsePlainCsv, parseSdmxCsv, DEFAULT_MAPPING } from './sdmx-csv.ts';
export { MACRO_BACKEND } from './exchange-backend.ts';

export function createMacro(deps: MacroDeps) {
  const service = createMacroService(deps);
  return {
    service,
    registerRoutes: (app: App) => registerMacroRoutes(app, service),
    /** The exchange's built-in backend egov:macroeconomic (decision 0016); `findOrganization` gives the owner's member identifier. */
    exchangeBackend: (findOrganization: FindOrganization) => createMacroExchangeBackend({ catalog: deps.catalog, findOrganization, service }),
    /** Demo indicators and figures for the Qingyun province; a no-op when there are indicators. */
    seedDemo: (op: Operator) => seed(service, op),
  };
}

export type Macro = ReturnType<typeof createMacro>;

/** The demo seed's entry: `seedMacroDemo(services.registries.macro.service, operator)`. */
export function seedMacroDemo(service: MacroService, op: Operator): Promise<void> {
  return seed(service, op);
}
