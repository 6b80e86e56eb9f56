// One legal entity, regenerated from (seed, k) alone. Its representative is found by
// regenerating one household of the population, so entities need no copy of the persons.
import { buildCreditCode } from '../../../platform/codes/credit-code.ts';
import { businessAddress } from './addresses.ts';
import { dayOf, isoOf, years } from './dates.ts';
import { BRAND_CHARS, CAPITALS, COOPERATIVE_SCOPE, INDUSTRIES, LICENCE_NOTE, PRODUCTS, TRADES } from './entity-words.ts';
import { householdPersons, type PersonRecord } from './households.ts';
import type { Layout } from './layout.ts';
import { pickSurname } from './names.ts';
import { createRng, hashSeed, pickWeighted, weighted, type Rng } from './random.ts';

export type EntityRecord = {
  creditCode: string;
  name: string;
  formerNames?: string[];
  entityType: '91' | '92' | '93';
  legalRepId: string;
  legalRepName: string;
  divisionCode: string;
  registeredAddress: string;
  registeredCapital?: string;
  currency?: string;
  establishedDate: string;
  businessScope: string;
  status: 'active' | 'revoked' | 'cancelled';
  registrationAuthority: string;
};

const STREAM_ENTITY = 4;
const STREAM_ORG = 5;
const ORG_ALPHABET = '0123456789ABCDEFGHJKLMNPQRTUWXY';
const ORG_SPACE = 31 ** 6;
const CAPITAL_TABLE = weighted(CAPITALS);
const TYPE_TABLE = weighted<EntityRecord['entityType']>([['91', 76], ['92', 19], ['93', 5]]);
const STATUS_TABLE = weighted<EntityRecord['status']>([['active', 86], ['cancelled', 10], ['revoked', 4]]);
const FOREIGN = ['USD', 'HKD', 'EUR', 'JPY'];
/** Enterprise registrations as we know them start with the 1988 regulations; cooperatives with their 2007 law. */
const FIRST_ENTERPRISE = dayOf('1988-07-01');
const FIRST_COOPERATIVE = dayOf('2007-07-01');

/**
 * The body of the organisation code: 'MA' and six characters that are an affine permutation of
 * k modulo 31^6. The map is a bijection (its multiplier is not a multiple of 31), so different
 * entities always get different credit codes, whatever their division and type.
 */
function orgBody(layout: Layout, k: number): string {
  let a = hashSeed(layout.seed, STREAM_ORG, 0) % ORG_SPACE;
  if (a % 31 === 0) a += 1;
  const b = hashSeed(layout.seed, STREAM_ORG, 1) % ORG_SPACE;
  // a·k mod M without passing 2^53: k split into 16-bit halves.
  const hiPart = ((a * Math.floor(k / 65536)) % ORG_SPACE) * 65536;
  let x = (hiPart % ORG_SPACE + a * (k % 65536) + b) % ORG_SPACE;
  let s = '';
  for (let i = 0; i < 6; i++) {
    s = ORG_ALPHABET[x % 31] + s;
    x = Math.floor(x / 31);
  }
  return 'MA' + s;
}

/** A living adult of 20–75 from household h, or the next household that has one. */
function representative(layout: Layout, rng: Rng): PersonRecord {
  let h = rng.int(0, layout.households - 1);
  const lo = isoOf(layout.asOfDay - years(75));
  const hi = isoOf(layout.asOfDay - years(20));
  for (let tries = 0; tries < layout.households; tries++) {
    const eligible = householdPersons(layout, h).filter((p) => p.status === 'living' && p.birthDate >= lo && p.birthDate <= hi);
    if (eligible.length > 0) return rng.pick(eligible);
    h = (h + 1) % layout.households;
  }
  throw new RangeError('No living person aged 20–75 in the population to represent an entity: generate more persons.');
}

const brand = (rng: Rng) => {
  const a = rng.pick(BRAND_CHARS);
  let b = rng.pick(BRAND_CHARS);
  while (b === a) b = rng.pick(BRAND_CHARS);
  return a + b;
};

function nameAndScope(rng: Rng, type: EntityRecord['entityType'], place: string, county: string): [string, string] {
  if (type === '92') {
    const [trade, scope] = rng.pick(TRADES);
    const owner = rng.chance(0.3) ? `${pickSurname(rng)}记` : brand(rng);
    return [`${rng.chance(0.5) ? county : ''}${owner}${trade}店`, scope];
  }
  if (type === '93') {
    const [product, scope] = rng.pick(PRODUCTS);
    return [`${county}${brand(rng)}${product}专业合作社`, scope + COOPERATIVE_SCOPE];
  }
  const [industry, scope] = rng.pick(INDUSTRIES);
  const u = rng.next();
  const suffix = u < 0.85 ? '有限公司' : u < 0.95 ? '有限责任公司' : '股份有限公司';
  return [`${rng.chance(0.7) ? place : ''}${brand(rng)}${industry}${suffix}`, scope + LICENCE_NOTE];
}

export function entityAt(layout: Layout, k: number): EntityRecord {
  const rng = createRng(hashSeed(layout.seed, STREAM_ENTITY, k));
  const entityType = pickWeighted(rng, TYPE_TABLE);
  const rep = representative(layout, rng);
  const divisionCode = rng.chance(0.75) ? rep.currentDivision : rng.pick(layout.divisions.codes);
  const where = layout.divisions.describe(divisionCode);
  const [name, businessScope] = nameAndScope(rng, entityType, where.place, where.county);

  const record: EntityRecord = { creditCode: buildCreditCode(entityType[0], entityType[1], divisionCode, orgBody(layout, k)), name } as EntityRecord;
  if (rng.chance(0.06)) record.formerNames = [nameAndScope(rng, entityType, where.place, where.county)[0]];
  record.entityType = entityType;
  record.legalRepId = rep.idNumber;
  record.legalRepName = rep.name;
  record.divisionCode = divisionCode;
  record.registeredAddress = businessAddress(rng, entityType === '91' ? 'office' : entityType === '92' ? 'shop' : 'farm');
  if (entityType === '91') {
    const capital = pickWeighted(rng, CAPITAL_TABLE);
    record.registeredCapital = `${name.endsWith('股份有限公司') ? Math.max(capital, 5_000_000) : capital}.00`;
    record.currency = rng.chance(0.97) ? 'CNY' : rng.pick(FOREIGN);
  } else if (entityType === '93') {
    record.registeredCapital = `${rng.int(1, 40) * 50_000}.00`;
    record.currency = 'CNY';
  }
  // Registrations grew year on year: the square root skews dates toward the recent end.
  const to = layout.asOfDay - 1;
  const from = Math.min(to, Math.max(dayOf(rep.birthDate) + years(18) + 1, entityType === '93' ? FIRST_COOPERATIVE : FIRST_ENTERPRISE));
  record.establishedDate = isoOf(from + Math.floor((to - from) * Math.sqrt(rng.next())));
  record.businessScope = businessScope;
  record.status = pickWeighted(rng, STATUS_TABLE);
  record.registrationAuthority = where.authority;
  return record;
}
