// One household's people, regenerated from (seed, h) alone. Members come in the order
// grandparents, adults, children, so a reference always points to someone already written
// and cutting the last household from the end never leaves a dangling link.
//
// Choices made for consistency: married persons are always living and married to each other
// inside the household (spouseId is mutual, both '20', opposite sex, wife ≥ 24 and husband ≥ 22
// at the reference date). Deceased persons are only widowed ones (an elderly person living
// alone, or a widowed grandparent), so no record is married to someone dead; emigrated ones
// are only never-married adults living alone.
import { idNumberCheckCharacter } from '../../../platform/codes/id-number.ts';
import { homeAddress } from './addresses.ts';
import { isoOf, years } from './dates.ts';
import { movedDivision } from './divisions.ts';
import { pickEthnicity } from './ethnicity.ts';
import { layoutPlan, type Layout, type Plan } from './layout.ts';
import { pickFormerName, pickGivenName, pickSurname } from './names.ts';
import { createRng, hashSeed, type Rng } from './random.ts';

export type PersonRecord = {
  idNumber: string;
  name: string;
  formerName?: string;
  sex: '1' | '2';
  birthDate: string;
  ethnicity: string;
  hukouDivision: string;
  hukouAddress: string;
  currentDivision: string;
  currentAddress: string;
  maritalStatus: '10' | '20' | '30' | '40';
  fatherId?: string;
  motherId?: string;
  spouseId?: string;
  status: 'living' | 'deceased' | 'emigrated';
  deathDate?: string;
};

/** A member before ID numbers exist: links are indexes into the household. */
type Draft = {
  male: boolean;
  birth: number;
  surname: string;
  ethnicity: string;
  marital: PersonRecord['maritalStatus'];
  status: PersonRecord['status'];
  death?: number;
  father?: number;
  mother?: number;
  spouse?: number;
  current?: { division: string; address: string };
};

const STREAM_HOUSEHOLD = 3;
const STREAM_SEQUENCE = 6;
/** Births stay this far before the reference date, so the alignment shift never passes it. */
const BIRTH_MARGIN_DAYS = 40;
const SIBLING_GAP_DAYS = 400;

export function householdPersons(layout: Layout, h: number): PersonRecord[] {
  const plan = layoutPlan(layout, h);
  const rng = createRng(hashSeed(layout.seed, STREAM_HOUSEHOLD, h));
  const D = layout.divisions.codes.length;
  const division = layout.divisions.codes[h % D];
  const j = Math.floor(h / D);
  const residue = Math.floor(j / 500);
  const K = layout.residues;
  const align = (day: number) => day + ((((residue - day) % K) + K) % K);
  // Any bijection of j mod 500 keeps the uniqueness argument (layout.ts); this one spreads the
  // sequences so that a small population's numbers do not all read 000–009.
  const seq = 2 * ((j * 263 + (hashSeed(layout.seed, STREAM_SEQUENCE, h % D) % 500)) % 500);

  const elsewhere = () => ({ division: movedDivision(rng, layout.divisions, division), address: homeAddress(rng) });
  const drafts = draftMembers({ rng, plan, asOf: layout.asOfDay, out: [], elsewhere });
  const births: string[] = [];
  const ids = drafts.map((d) => {
    d.birth = align(d.birth);
    const iso = isoOf(d.birth);
    births.push(iso);
    const first17 = division + iso.slice(0, 4) + iso.slice(5, 7) + iso.slice(8, 10) + String(seq + (d.male ? 1 : 0)).padStart(3, '0');
    return first17 + idNumberCheckCharacter(first17);
  });

  const hukouAddress = homeAddress(rng);
  const moved = rng.chance(0.12);
  const currentDivision = moved ? movedDivision(rng, layout.divisions, division) : division;
  const currentAddress = moved ? homeAddress(rng) : hukouAddress;
  return drafts.map((d, i) => {
    const birthDate = births[i];
    const birthYear = Number(birthDate.slice(0, 4));
    const name = d.surname + pickGivenName(rng, d.male, birthYear);
    const record: PersonRecord = { idNumber: ids[i], name } as PersonRecord;
    if (layout.asOfDay - d.birth > years(18) && rng.chance(0.025)) record.formerName = pickFormerName(rng, d.surname, name, d.male, birthYear);
    record.sex = d.male ? '1' : '2';
    record.birthDate = birthDate;
    record.ethnicity = d.ethnicity;
    record.hukouDivision = division;
    record.hukouAddress = hukouAddress;
    record.currentDivision = d.current?.division ?? currentDivision;
    record.currentAddress = d.current?.address ?? currentAddress;
    record.maritalStatus = d.marital;
    if (d.father !== undefined) record.fatherId = ids[d.father];
    if (d.mother !== undefined) record.motherId = ids[d.mother];
    if (d.spouse !== undefined) record.spouseId = ids[d.spouse];
    record.status = d.status;
    if (d.death !== undefined) record.deathDate = isoOf(d.death);
    return record;
  });
}

type DraftContext = { rng: Rng; plan: Plan; asOf: number; out: Draft[]; elsewhere: () => { division: string; address: string } };

function bornAtAge(c: DraftContext, lo: number, hi: number): number {
  return c.asOf - years(lo) - c.rng.int(0, years(hi - lo));
}

function draftMembers(c: DraftContext): Draft[] {
  const { rng, plan, out } = c;
  const ethnicity = pickEthnicity(rng);
  let parents: number[] = [];
  if (plan.adults === 2) {
    const wifeAge = plan.kind === 'three-gen' ? [28, 50] : plan.kind === 'family' ? [24 + 2 * plan.children, 58] : rng.chance(0.3) ? [24, 35] : [45, 85];
    const wifeBirth = bornAtAge(c, wifeAge[0], wifeAge[1]);
    // Husbands are mostly a little older: −2 to +5 years, peaking near +1.5.
    const husbandBirth = wifeBirth - Math.round(((rng.next() + rng.next()) / 2) * years(7) - years(2));
    const surname = pickSurname(rng);
    if (plan.grandparents > 0) addGrandparents(c, husbandBirth, surname, ethnicity);
    const husband = out.length;
    const father = out.findIndex((d) => d.male);
    const mother = out.findIndex((d) => !d.male);
    out.push({ male: true, birth: husbandBirth, surname, ethnicity, marital: '20', status: 'living', father: father < 0 ? undefined : father, mother: mother < 0 ? undefined : mother, spouse: husband + 1 });
    out.push({ male: false, birth: wifeBirth, surname: pickSurname(rng), ethnicity: rng.chance(0.05) ? pickEthnicity(rng) : ethnicity, marital: '20', status: 'living', spouse: husband });
    parents = [husband, husband + 1];
  } else if (plan.kind === 'single-parent') {
    out.push({ male: rng.chance(0.35), birth: bornAtAge(c, 30, 55), surname: pickSurname(rng), ethnicity, marital: rng.chance(0.7) ? '40' : '30', status: 'living' });
    parents = [0];
  } else {
    out.push(single(c, ethnicity));
  }
  addChildren(c, parents, plan.children);
  return out;
}

/** Living alone: young and never married (a few emigrated), divorced, or widowed (some deceased). */
function single(c: DraftContext, ethnicity: string): Draft {
  const { rng } = c;
  const u = rng.next();
  if (u < 0.55) {
    const d: Draft = { male: rng.chance(0.58), birth: bornAtAge(c, 20, 40), surname: pickSurname(rng), ethnicity, marital: '10', status: 'living' };
    if (rng.chance(0.04)) d.status = 'emigrated';
    return d;
  }
  if (u < 0.7) return { male: rng.chance(0.5), birth: bornAtAge(c, 30, 65), surname: pickSurname(rng), ethnicity, marital: '40', status: 'living' };
  const d: Draft = { male: rng.chance(0.3), birth: bornAtAge(c, 60, 95), surname: pickSurname(rng), ethnicity, marital: '30', status: 'living' };
  if (rng.chance(0.15)) {
    d.status = 'deceased';
    d.death = c.asOf - rng.int(1, years(8));
  }
  return d;
}

/** The husband's parents: a living couple, or a widowed parent who may since have died. */
function addGrandparents(c: DraftContext, childBirth: number, surname: string, ethnicity: string) {
  const { rng, out } = c;
  const motherGap = rng.int(years(22), years(34));
  const fatherGap = Math.min(years(39), Math.max(years(21), motherGap + rng.int(-years(2), years(5))));
  if (c.plan.grandparents === 2) {
    out.push({ male: true, birth: childBirth - fatherGap, surname, ethnicity, marital: '20', status: 'living', spouse: 1 });
    out.push({ male: false, birth: childBirth - motherGap, surname: pickSurname(rng), ethnicity, marital: '20', status: 'living', spouse: 0 });
    return;
  }
  const male = rng.chance(0.3);
  const widowed: Draft = { male, birth: childBirth - (male ? fatherGap : motherGap), surname: male ? surname : pickSurname(rng), ethnicity, marital: '30', status: 'living' };
  if (rng.chance(0.2)) {
    widowed.status = 'deceased';
    widowed.death = c.asOf - rng.int(1, years(3));
  }
  out.push(widowed);
}

/**
 * Children born 21–39 years after each parent, one per equal slice of that window and at
 * least SIBLING_GAP_DAYS apart. The ages chosen for parents leave every window long enough.
 */
function addChildren(c: DraftContext, parentIdx: number[], n: number) {
  if (n === 0) return;
  const { rng, out } = c;
  const births = parentIdx.map((p) => out[p].birth);
  const lo = Math.max(...births) + years(21);
  const hi = Math.min(Math.min(...births) + years(39), c.asOf - BIRTH_MARGIN_DAYS);
  const span = (hi - lo) / n;
  const father = parentIdx.find((p) => out[p].male);
  const mother = parentIdx.find((p) => !out[p].male);
  const familySurname = out[father ?? parentIdx[0]].surname;
  for (let i = 0; i < n; i++) {
    const birth = Math.floor(lo + i * span + rng.next() * (span - SIBLING_GAP_DAYS));
    // A single mother's child mostly carries the absent father's surname.
    const surname = father !== undefined ? (mother !== undefined && rng.chance(0.08) ? out[mother].surname : familySurname) : rng.chance(0.3) ? familySurname : pickSurname(rng);
    const ethnicity = mother !== undefined && father !== undefined && rng.chance(0.5) ? out[mother].ethnicity : out[parentIdx[0]].ethnicity;
    const child: Draft = { male: rng.chance(0.515), birth, surname, ethnicity, marital: '10', status: 'living', father, mother };
    // Grown children often work elsewhere while their hukou stays with the family.
    if (c.asOf - birth > years(22) && rng.chance(0.25)) child.current = c.elsewhere();
    out.push(child);
  }
}
