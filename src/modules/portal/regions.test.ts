// The central–local structure read from the directory: the government with no parent is the
// province, the governments right under it its cities, each with every organization under it.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createRegions } from './regions.ts';

type Node = { id: string; nameZh: string; nameEn: string; type: string; status: string; children: Node[] };
const node = (id: string, type: string, children: Node[] = [], status = 'active'): Node => ({ id, nameZh: `${id}中文`, nameEn: id, type, status, children });

test('the province is the root government; its government children are cities with their subtrees', async () => {
  const tree = [
    node('province', 'government', [
      node('education', 'organ'),
      node('city-a', 'government', [node('city-a-police', 'organ'), node('county', 'government', [node('county-office', 'organ')])]),
      node('city-b', 'government'),
      node('city-c', 'government', [], 'inactive'),
    ]),
  ];
  const codes: Record<string, string> = { province: '990000', 'city-a': '990100', 'city-b': '990200', 'city-c': '990300' };
  let walks = 0;
  const regions = createRegions({
    tree: async () => {
      walks++;
      return tree;
    },
    divisionOf: async (id) => codes[id]!,
  });
  const all = await regions.all();
  assert.equal(all.province?.home, '/');
  assert.deepEqual(all.province?.name, { zh: 'province中文', en: 'province' });
  assert.deepEqual(all.cities.map((c) => [c.divisionCode, c.home]), [['990100', '/cities/990100'], ['990200', '/cities/990200']], 'inactive governments have no portal');
  assert.deepEqual((await regions.city('990100'))?.orgIds, ['city-a', 'city-a-police', 'county', 'county-office'], 'a city covers its county too');
  assert.equal(await regions.city('990300'), undefined);
  assert.equal(walks, 1, 'the directory is walked once, then remembered');
});

test('with no government in the directory there is no province and no city', async () => {
  const regions = createRegions({ tree: async () => [node('bureau', 'organ')], divisionOf: async () => '000000' });
  assert.deepEqual(await regions.all(), { province: undefined, cities: [] });
});
