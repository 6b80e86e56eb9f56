// Realistic Chinese names. Surname weights follow the published household-registration
// counts (per 10,000 people; the top 100 cover about 85% of the population, and the rest is
// spread over the long tail here). Given names follow fashion, so the pools differ by sex and
// by birth decade: 建国 and 秀英 for the 1950s, 伟 and 丽 for the 1970s, 子轩 and 梓涵 now.
import { pickWeighted, weighted, type Rng } from './random.ts';

const SURNAMES = weighted<string>([
  ['王', 710], ['李', 700], ['张', 670], ['刘', 540], ['陈', 460], ['杨', 310], ['黄', 260], ['赵', 230], ['吴', 200], ['周', 190],
  ['徐', 150], ['孙', 150], ['马', 140], ['朱', 130], ['胡', 130], ['郭', 120], ['何', 120], ['林', 110], ['高', 110], ['罗', 110],
  ['郑', 100], ['梁', 90], ['谢', 80], ['宋', 80], ['唐', 70], ['许', 70], ['韩', 70], ['冯', 70], ['邓', 70], ['曹', 60],
  ['彭', 60], ['曾', 60], ['肖', 60], ['田', 50], ['董', 50], ['袁', 50], ['潘', 50], ['于', 50], ['蒋', 50], ['蔡', 50],
  ['余', 50], ['杜', 50], ['叶', 40], ['程', 40], ['苏', 40], ['魏', 40], ['吕', 40], ['丁', 40], ['任', 40], ['沈', 40],
  ['姚', 40], ['卢', 40], ['姜', 40], ['崔', 30], ['钟', 30], ['谭', 30], ['陆', 30], ['汪', 30], ['范', 30], ['金', 30],
  ['石', 30], ['廖', 30], ['贾', 30], ['夏', 30], ['韦', 30], ['付', 30], ['方', 30], ['白', 30], ['邹', 30], ['孟', 30],
  ['熊', 30], ['秦', 30], ['邱', 30], ['江', 20], ['尹', 20], ['薛', 20], ['闫', 20], ['段', 20], ['雷', 20], ['侯', 20],
  ['龙', 20], ['史', 20], ['陶', 20], ['黎', 20], ['贺', 20], ['顾', 20], ['毛', 20], ['郝', 20], ['龚', 20], ['邵', 20],
  ['万', 20], ['钱', 20], ['严', 20], ['覃', 20], ['武', 20], ['戴', 20], ['莫', 20], ['孔', 20], ['向', 20], ['汤', 20],
  ['常', 15], ['温', 15], ['康', 15], ['施', 15], ['文', 15], ['牛', 15], ['樊', 15], ['葛', 15], ['邢', 15], ['安', 12],
  ['齐', 12], ['易', 12], ['乔', 12], ['伍', 12], ['庞', 12], ['颜', 12], ['倪', 12], ['庄', 12], ['聂', 12], ['章', 12],
  ['鲁', 10], ['岳', 10], ['翟', 10], ['殷', 10], ['詹', 10], ['申', 10], ['欧', 10], ['耿', 10], ['关', 10], ['兰', 10],
  ['焦', 10], ['俞', 10], ['左', 10], ['柳', 10], ['甘', 10], ['祝', 10], ['包', 10], ['宁', 10], ['尚', 10], ['符', 10],
  ['舒', 8], ['阮', 8], ['柯', 8], ['纪', 8], ['梅', 8], ['童', 8], ['凌', 8], ['毕', 8], ['单', 8], ['季', 8],
  ['裴', 8], ['霍', 8], ['涂', 8], ['成', 8], ['苗', 8], ['谷', 8], ['盛', 8], ['曲', 8], ['翁', 8], ['冉', 8],
  ['骆', 6], ['蓝', 6], ['路', 6], ['游', 6], ['辛', 6], ['靳', 6], ['管', 6], ['柴', 6], ['蒙', 6], ['鲍', 6],
  ['华', 6], ['喻', 6], ['祁', 6], ['蒲', 6], ['房', 6], ['滕', 6], ['屈', 6], ['饶', 6], ['解', 6], ['牟', 6],
  ['欧阳', 4], ['司马', 0.5], ['上官', 0.5], ['诸葛', 0.5], ['司徒', 0.4], ['东方', 0.3], ['皇甫', 0.3], ['令狐', 0.2], ['慕容', 0.2], ['尉迟', 0.1],
]);

type PoolText = { whole: string[]; first: string; second: string; single: string; singleShare: number };
type Pool = { whole: string[]; first: string[]; second: string[]; single: string[]; singleShare: number };

const chars = (pools: Record<string, PoolText>): Record<string, Pool> =>
  Object.fromEntries(Object.entries(pools).map(([k, p]) => [k, { ...p, first: [...p.first], second: [...p.second], single: [...p.single] }]));

// Whole names are the decade's most common; `first`×`second` compose the rest; `single` are
// one-character names, common in the 1980s–90s and rare now.
const MALE = chars({
  old: { whole: ['建国', '国强', '建华', '国华', '德明', '永福', '振华', '保国', '文华', '宝山', '长林', '树林', '福生', '建军', '卫东', '胜利', '跃进', '援朝', '国庆', '金山'], first: '建国振永德福宝长树文金玉志', second: '国华明福山林生民军成祥才贵荣', single: '军华明强林福山勇忠', singleShare: 0.08 },
  mid: { whole: ['伟', '勇', '军', '强', '斌', '建平', '志刚', '海涛', '永刚', '小平', '春生', '立新', '卫国', '红兵', '建新', '志明', '国平', '卫华', '建伟', '晓东'], first: '建志海永小春立卫红国晓学', second: '平刚涛军新明华伟东生强峰', single: '伟勇军强斌涛磊波杰刚', singleShare: 0.22 },
  young: { whole: ['磊', '鹏', '杰', '浩', '超', '俊杰', '浩然', '志伟', '文博', '家豪', '宇航', '明辉', '子健', '振宇', '博', '帅', '亮', '鑫', '晨', '凯'], first: '俊浩志文家宇明子振晓嘉天', second: '杰然伟博豪航辉健宇峰鹏龙', single: '磊鹏杰浩超博帅亮鑫凯晨阳', singleShare: 0.3 },
  now: { whole: ['子轩', '浩宇', '宇轩', '梓豪', '俊熙', '一鸣', '沐宸', '子墨', '宇泽', '睿', '锦程', '皓轩', '奕辰', '梓睿', '铭泽', '天佑', '宇辰', '承泽', '思远', '博文'], first: '子浩宇梓俊一沐皓奕铭承思', second: '轩宇豪熙鸣宸墨泽睿辰程远', single: '睿晨昊轩哲航', singleShare: 0.06 },
});

const FEMALE = chars({
  old: { whole: ['秀英', '桂英', '秀兰', '玉兰', '桂兰', '淑珍', '凤英', '玉珍', '玉梅', '秀珍', '秀梅', '淑兰', '桂珍', '凤兰', '素珍', '兰英', '翠花', '金凤', '美兰', '淑华'], first: '秀桂玉淑凤素兰翠金美月春', second: '英兰珍梅华芳花凤琴云娥香', single: '英兰珍梅芳琴', singleShare: 0.06 },
  mid: { whole: ['丽', '红', '霞', '燕', '敏', '静', '艳', '丽华', '红梅', '丽娟', '春梅', '海燕', '晓红', '桂芳', '小红', '玉霞', '秀芳', '建英', '慧', '萍'], first: '丽红春海晓桂小玉秀建美爱', second: '华梅娟燕红芳霞英萍琴玲莉', single: '丽红霞燕敏静艳慧萍娟', singleShare: 0.28 },
  young: { whole: ['婷', '丹', '颖', '倩', '雪', '婷婷', '晓丽', '欣', '佳', '丽娜', '晓燕', '文静', '慧敏', '琳', '思琪', '佳怡', '梦', '雨', '璐', '洁'], first: '晓文慧思佳丽雅雨梦欣诗紫', second: '丽静敏琪怡娜燕婷雪琳蕾涵', single: '婷丹颖倩雪欣佳琳璐洁妍', singleShare: 0.32 },
  now: { whole: ['梓涵', '一诺', '欣怡', '子涵', '诗涵', '梓萱', '若汐', '可馨', '语桐', '雨桐', '思涵', '佳怡', '依诺', '紫涵', '欣妍', '沐瑶', '芷若', '梦琪', '语嫣', '安琪'], first: '梓一欣子诗若可语雨思依沐', second: '涵诺怡萱汐馨桐妍瑶琪嫣然', single: '悦瑶妍萱琪', singleShare: 0.06 },
});

function era(birthYear: number): string {
  if (birthYear < 1960) return 'old';
  if (birthYear < 1980) return 'mid';
  if (birthYear < 2000) return 'young';
  return 'now';
}

export function pickSurname(rng: Rng): string {
  return pickWeighted(rng, SURNAMES);
}

export function pickGivenName(rng: Rng, male: boolean, birthYear: number): string {
  const pool = (male ? MALE : FEMALE)[era(birthYear)];
  const u = rng.next();
  if (u < pool.singleShare) return rng.pick(pool.single);
  if (u < pool.singleShare + (1 - pool.singleShare) / 2) return rng.pick(pool.whole);
  return rng.pick(pool.first) + rng.pick(pool.second);
}

/** A childhood or pre-marriage name: another given name of the same surname, never the current one. */
export function pickFormerName(rng: Rng, surname: string, current: string, male: boolean, birthYear: number): string {
  for (let i = 0; i < 4; i++) {
    const name = surname + pickGivenName(rng, male, birthYear - 10);
    if (name !== current) return name;
  }
  return surname + (male ? '小明' : '小红');
}
