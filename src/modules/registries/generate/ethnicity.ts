// Ethnicity (GB 3304 codes) with weights from the 2020 census, in thousands of people:
// Han about 91.1%, then Zhuang, Uyghur, Hui, Miao, Manchu, Yi, Tujia, Tibetan, Mongol, and a
// long tail down to groups of a few thousand. 97/98 are left out: too rare to matter.
import { pickWeighted, weighted, type Rng } from './random.ts';

// In the order of the code list (01 Han … 56 Jino), so index + 1 is the code.
const THOUSANDS = [
  1286311, 6290, 11377, 7060, 11774, 11067, 9830, 19568, 3577, 1702, 10423, 3496, 3309, 2091, 9588, 1733,
  1562, 1330, 1603, 762, 431, 746, 4, 500, 496, 775, 324, 160, 204, 282, 132, 278,
  313, 128, 165, 124, 677, 191, 44, 45, 51, 37, 12, 16, 35, 22, 24, 15,
  33, 4, 7, 9, 5, 11, 4, 26,
];

const ETHNICITY_TABLE = weighted(THOUSANDS.map((w, i) => [String(i + 1).padStart(2, '0'), w] as const));

export function pickEthnicity(rng: Rng): string {
  return pickWeighted(rng, ETHNICITY_TABLE);
}
