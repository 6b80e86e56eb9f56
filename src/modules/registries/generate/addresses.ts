// Street addresses below the division: the division itself is a separate field, so an
// address starts at the road, the residential compound or the village, as a hukou booklet does.
import type { Rng } from './random.ts';

const ROADS = [...'人民解放建设中山和平幸福文化新华胜利朝阳友谊光明东风红旗团结长江黄河复兴民主青年学府体育园林滨江环城健康工农振兴春风迎宾'.match(/../g)!, '北京', '南京', '延安', '湖滨', '金桥', '凤凰', '桂花', '银杏'];
const ROAD_KINDS = ['路', '路', '路', '街', '大道', '东路', '西路', '南路', '北路'];
const COMPOUNDS = [...'阳光金色锦绣翠湖碧水丽景怡和华庭紫荆桂园书香星河御景江南香樟梧桐康乐和谐绿洲天鹅湖畔明珠'.match(/../g)!];
const COMPOUND_KINDS = ['花园', '小区', '家园', '苑', '新村', '公寓', '名都', '嘉园'];
const VILLAGES = [...'李家王庄张湾柳树杨柳石桥新河东湖前进红星大坪马鞍桃源青山白沙黄土枣林杏花龙泉双井三里'.match(/../g)!];
const TOWERS = ['国际大厦', '商务中心', '科技园', '创业大厦', '金融中心', '财富广场', '时代广场', '产业园', '创新中心', '总部基地'];
const INDUSTRIAL = ['工业园区', '经济开发区', '高新区', '物流园区'];

/** A home address: a flat in a residential compound in town, a numbered house in a village. */
export function homeAddress(rng: Rng): string {
  if (rng.chance(0.32)) {
    return `${rng.pick(VILLAGES)}村${rng.int(1, 12)}组${rng.int(1, 120)}号`;
  }
  const road = rng.pick(ROADS) + rng.pick(ROAD_KINDS);
  const floor = rng.int(1, 28);
  const room = `${floor}${String(rng.int(1, 4)).padStart(2, '0')}`;
  return `${road}${rng.int(1, 999)}号${rng.pick(COMPOUNDS)}${rng.pick(COMPOUND_KINDS)}${rng.int(1, 30)}幢${rng.int(1, 4)}单元${room}室`;
}

/** Where a business is registered: an office, a shop front, or a plot in an industrial park. */
export function businessAddress(rng: Rng, kind: 'office' | 'shop' | 'farm'): string {
  const road = rng.pick(ROADS) + rng.pick(ROAD_KINDS);
  if (kind === 'shop') return `${road}${rng.int(1, 999)}号${rng.chance(0.5) ? `${rng.int(1, 30)}号商铺` : ''}`;
  if (kind === 'farm') return `${rng.pick(VILLAGES)}村${rng.int(1, 12)}组${rng.int(1, 120)}号`;
  if (rng.chance(0.25)) return `${rng.pick(INDUSTRIAL)}${road}${rng.int(1, 300)}号`;
  return `${road}${rng.int(1, 999)}号${rng.pick(TOWERS)}${rng.int(1, 9)}幢${rng.int(1, 30)}${String(rng.int(1, 20)).padStart(2, '0')}室`;
}
