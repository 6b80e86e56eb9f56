// The divisions a population is spread over, and the names derived from them: the market
// regulator that registers an entity (杭州市西湖区市场监督管理局) and the short place word a
// company name starts with (杭州).
import { countyDivisionCodes, createDivisionIndex, divisionLevelOf, divisionWithin, type Division } from '../../../platform/codes/division.ts';
import { createRng, hashSeed, shuffled, type Rng } from './random.ts';

export type DivisionSet = {
  /** County-level codes in the (seeded) order households are dealt to them. */
  codes: string[];
  byProvince: Map<string, string[]>;
  describe(code: string): { county: string; authority: string; place: string };
};

/**
 * County-level codes for a list of codes at any level: a province or a city stands for every
 * county in it. Unknown codes are refused with their code, so a typo does not silently shrink
 * the population's area.
 */
export function expandDivisions(codes: string[]): string[] {
  const index = createDivisionIndex();
  const counties = countyDivisionCodes();
  const out = new Set<string>();
  for (const code of codes) {
    const level = divisionLevelOf(code);
    if (!level || !index.find(code)) throw new RangeError(`${code} is not a division of the national list (GB/T 2260).`);
    if (level === 'county') out.add(code);
    else for (const c of counties) if (divisionWithin(c, code)) out.add(c);
  }
  if (out.size === 0) throw new RangeError(`${codes.join(', ')} contain no county-level division.`);
  return [...out];
}

const STREAM_DIVISIONS = 1;

/** `local` adds divisions outside the national list (a demo province's 99xxxx codes). */
export function createDivisionSet(seed: number, codes: string[] | undefined, local: Division[] = []): DivisionSet {
  const index = createDivisionIndex(local);
  const chosen = codes ? [...new Set(codes)].sort() : countyDivisionCodes();
  for (const code of chosen) {
    if ((index.find(code)?.level ?? divisionLevelOf(code)) !== 'county' || !index.find(code)) throw new RangeError(`${code} is not a county-level division of the national list (GB/T 2260).`);
  }
  // Dealt in a seeded order so that the first households of a small set are spread over the
  // country rather than all in Beijing's districts.
  const order = shuffled(chosen, createRng(hashSeed(seed, STREAM_DIVISIONS, 0)));
  const byProvince = new Map<string, string[]>();
  for (const code of chosen) {
    const list = byProvince.get(code.slice(0, 2)) ?? [];
    list.push(code);
    byProvince.set(code.slice(0, 2), list);
  }
  const described = new Map<string, { county: string; authority: string; place: string }>();
  return {
    codes: order,
    byProvince,
    describe(code) {
      let d = described.get(code);
      if (!d) {
        d = describe(index.find(code)!, (c) => index.find(c));
        described.set(code, d);
      }
      return d;
    },
  };
}

function describe(county: Division, find: (code: string) => Division | undefined) {
  const city = county.parent ? find(county.parent) : undefined;
  const province = city?.parent ? find(city.parent) : undefined;
  // Municipalities list their districts under 市辖区 (or 县): the authority is 北京市东城区…;
  // county-level cities directly under a province (济源市) have no city in their name.
  let prefix = '';
  let place = shortName(county.name);
  if (city && (city.name === '市辖区' || city.name === '县') && province) {
    prefix = province.name;
    place = shortName(province.name);
  } else if (city && !city.name.includes('直辖')) {
    prefix = city.name;
    place = shortName(city.name);
  }
  return { county: county.name, authority: `${prefix}${county.name}市场监督管理局`, place };
}

/** 杭州市 → 杭州, 朝阳区 → 朝阳, 恩施土家族苗族自治州 → 恩施, 内蒙古自治区 → 内蒙古; a one-character name keeps its suffix. */
export function shortName(name: string): string {
  if (name.endsWith('自治区')) return name.replace(/(维吾尔|壮族|回族)?自治区$/, '');
  if (name.includes('自治')) return name.slice(0, 2);
  const short = name.replace(/(特别行政区|省|市|地区|林区|新区|区|县|旗|盟)$/, '');
  return short.length >= 2 ? short : name;
}

/** Where someone who left their hukou division lives now: mostly the same province. */
export function movedDivision(rng: Rng, set: DivisionSet, from: string): string {
  const province = set.byProvince.get(from.slice(0, 2))!;
  const pool = rng.chance(0.6) && province.length > 1 ? province : set.codes;
  if (pool.length === 1) return from;
  for (;;) {
    const code = rng.pick(pool);
    if (code !== from) return code;
  }
}
