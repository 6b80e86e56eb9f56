// How a population of N persons is cut into households, and how every person gets an ID
// number no one else has, without a table of the numbers already given out.
//
// Households are numbered h = 0, 1, 2, … and each is a pure function of (seed, h): its plan
// (who lives in it) comes from one PRNG stream, its people from another. The persons file is
// households 0..H-1 in order, the last one cut to fit N exactly. So an entity can name
// "a living adult of household h" by regenerating household h alone.
//
// Why ID numbers are unique (18 characters: division 6 · birth date 8 · sequence 3 · check 1).
// Household h lives in division codes[h mod D]; its number within that division is
// j = floor(h / D). Every member's sequence is 2·σ(j mod 500) + (male ? 1 : 0), where σ is a
// permutation of 0..499 fixed per division (an affine map, for variety), so it is 000–999 and
// its last digit has the parity GB 11643 wants. Let q = floor(j / 500) and
// K = ceil(ceil(H / D) / 500): q < K. Every birth date of household h is moved forward by 0 to
// K-1 days to the first day whose day number ≡ q (mod K). Now take two persons:
//   - different households in different divisions: the first six digits differ;
//   - different households, same division: j differs, so either j mod 500 differs (then the
//     sequence differs, σ being one-to-one) or q differs (then the birth dates' residues mod K
//     differ, so the dates do);
//   - same household: members of the same sex are born at least 400 days apart (siblings) or a
//     generation apart, and the shift moves two dates by less than K ≤ 31 days each; members
//     of different sexes differ in the sequence's parity.
// So no two persons share an ID, for any N, as long as K ≤ 31 (at most 15,500 households, some
// 45,000 persons, per division: 130 million over the national list of 2,974 counties). Beyond
// that the generator refuses and asks for more divisions rather than bend the dates further.
// Generation keeps every same-generation gap between 21 and 39 years, so a shift of up to 30
// days cannot carry a parent outside 20–40 years of a child.
import { dayOf } from './dates.ts';
import type { Division } from '../../../platform/codes/division.ts';
import { createDivisionSet, type DivisionSet } from './divisions.ts';
import { createRng, hashSeed } from './random.ts';

export const MAX_SHIFT_RESIDUES = 31;
const HOUSEHOLDS_PER_RESIDUE = 500;
const STREAM_PLAN = 2;

export type HouseholdKind = 'single' | 'single-parent' | 'couple' | 'family' | 'three-gen';
/** Who lives in a household; the size is grandparents + adults + children. */
export type Plan = { kind: HouseholdKind; grandparents: number; adults: number; children: number };

export type GenerateOptions = {
  /** Unsigned 32-bit seed; the same options always give the same records. */
  seed?: number;
  persons: number;
  entities?: number;
  /** County-level codes to spread over; default every county of the national list. */
  divisions?: string[];
  /** Divisions of the instance outside the national list, that `divisions` may name. */
  localDivisions?: Division[];
  /** The reference date (YYYY-MM-DD) ages, deaths and establishment dates are relative to. */
  asOf?: string;
};

export type Layout = {
  seed: number;
  persons: number;
  entities: number;
  asOfDay: number;
  households: number;
  /** The plan of the last household, cut so that the households hold exactly `persons`. */
  lastPlan: Plan;
  residues: number;
  divisions: DivisionSet;
};

export const DEFAULT_SEED = 2026;
export const DEFAULT_AS_OF = '2026-01-01';

export function planOf(seed: number, h: number): Plan {
  const rng = createRng(hashSeed(seed, STREAM_PLAN, h));
  const u = rng.next();
  if (u < 0.22) return { kind: 'single', grandparents: 0, adults: 1, children: 0 };
  if (u < 0.27) return { kind: 'single-parent', grandparents: 0, adults: 1, children: rng.chance(0.75) ? 1 : 2 };
  if (u < 0.5) return { kind: 'couple', grandparents: 0, adults: 2, children: 0 };
  if (u < 0.9) {
    const v = rng.next();
    return { kind: 'family', grandparents: 0, adults: 2, children: v < 0.55 ? 1 : v < 0.9 ? 2 : 3 };
  }
  return { kind: 'three-gen', grandparents: rng.chance(0.55) ? 2 : 1, adults: 2, children: rng.chance(0.6) ? 1 : 2 };
}

export const sizeOf = (p: Plan) => p.grandparents + p.adults + p.children;

/** Cuts a plan to n persons: children go first, then grandparents, then the spouse. */
export function fitPlan(plan: Plan, n: number): Plan {
  const p = { ...plan };
  while (sizeOf(p) > n) {
    if (p.children > 0) p.children--;
    else if (p.grandparents > 0) p.grandparents--;
    else p.adults = 1;
  }
  if (p.adults === 1 && p.children === 0) p.kind = 'single';
  else if (p.kind === 'three-gen' && p.grandparents === 0) p.kind = p.children > 0 ? 'family' : 'couple';
  else if (p.kind === 'family' && p.children === 0) p.kind = 'couple';
  return p;
}

export function createLayout(options: GenerateOptions): Layout {
  const seed = options.seed ?? DEFAULT_SEED;
  if (!Number.isInteger(seed) || seed < 0 || seed > 0xffffffff) throw new RangeError(`seed must be an integer from 0 to 4294967295, not ${seed}.`);
  const persons = options.persons;
  if (!Number.isInteger(persons) || persons < 0) throw new RangeError(`persons must be a whole number ≥ 0, not ${persons}.`);
  const entities = options.entities ?? 0;
  if (!Number.isInteger(entities) || entities < 0 || entities > 31 ** 6) throw new RangeError(`entities must be a whole number from 0 to ${31 ** 6}, not ${entities}.`);
  if (entities > 0 && persons === 0) throw new RangeError('Entities need persons to represent them: give --persons as well.');
  const asOfDay = dayOf(options.asOf ?? DEFAULT_AS_OF);
  const divisions = createDivisionSet(seed, options.divisions, options.localDivisions);

  // Only the plans are drawn here (one short PRNG stream per household), so this pass over
  // 10 million persons takes well under a second and keeps nothing.
  let households = 0;
  let count = 0;
  let lastPlan: Plan = { kind: 'single', grandparents: 0, adults: 1, children: 0 };
  while (count < persons) {
    const plan = planOf(seed, households);
    lastPlan = fitPlan(plan, persons - count);
    count += sizeOf(lastPlan);
    households++;
  }
  const perDivision = Math.ceil(households / divisions.codes.length);
  const residues = Math.max(1, Math.ceil(perDivision / HOUSEHOLDS_PER_RESIDUE));
  if (residues > MAX_SHIFT_RESIDUES) {
    const most = MAX_SHIFT_RESIDUES * HOUSEHOLDS_PER_RESIDUE * divisions.codes.length;
    throw new RangeError(`${persons} persons need ${households} households, more than the ${most} that ${divisions.codes.length} division(s) can give unique ID numbers; spread them over more divisions (about ${Math.ceil(households / (MAX_SHIFT_RESIDUES * HOUSEHOLDS_PER_RESIDUE))} or more).`);
  }
  return { seed, persons, entities, asOfDay, households, lastPlan, residues, divisions };
}

/** The plan household h actually has in this layout (only the last one can be cut). */
export function layoutPlan(layout: Layout, h: number): Plan {
  return h === layout.households - 1 ? layout.lastPlan : planOf(layout.seed, h);
}
