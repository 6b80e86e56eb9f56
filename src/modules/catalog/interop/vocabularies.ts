// The controlled vocabularies the exports map the national metadata onto: the EU
// Publications Office's authority tables (frequency, data theme, licence, file type,
// language, access right, planned availability), ADMS publisher and licence types, and
// CKAN's licence register. Both the CKAN API and the DCAT-AP export read them here, and the
// harvester reads them backwards.
import type { UpdateCycle } from '../model.ts';

export const EU = 'http://publications.europa.eu/resource/authority/';

/** Update cycles → the EU frequency table. */
export const FREQUENCIES: Record<UpdateCycle, { code: string; label: string }> = {
  realtime: { code: 'UPDATE_CONT', label: 'continuously updated' },
  daily: { code: 'DAILY', label: 'daily' },
  weekly: { code: 'WEEKLY', label: 'weekly' },
  monthly: { code: 'MONTHLY', label: 'monthly' },
  quarterly: { code: 'QUARTERLY', label: 'quarterly' },
  'half-yearly': { code: 'ANNUAL_2', label: 'semiannual' },
  yearly: { code: 'ANNUAL', label: 'annual' },
  irregular: { code: 'IRREG', label: 'irregular' },
};

export const frequencyIri = (cycle: UpdateCycle): string => `${EU}frequency/${FREQUENCIES[cycle].code}`;

/** A frequency from a harvested source (an EU IRI or code, a CKAN/ISO word) → an update cycle. */
export function cycleOf(value: string): UpdateCycle | undefined {
  const word = value.trim().replace(/^.*\/frequency\//, '').toLowerCase().replace(/[\s_]+/g, '-');
  for (const [cycle, f] of Object.entries(FREQUENCIES) as [UpdateCycle, { code: string; label: string }][]) {
    if (word === cycle || word === f.code.toLowerCase().replace(/_/g, '-') || word === f.label.replace(/ /g, '-')) return cycle;
  }
  const synonyms: Record<string, UpdateCycle> = {
    continuous: 'realtime', continual: 'realtime', 'real-time': 'realtime', cont: 'realtime', 'update-cont': 'realtime',
    day: 'daily', week: 'weekly', month: 'monthly', quarter: 'quarterly', annually: 'yearly', year: 'yearly', biannually: 'half-yearly',
    'annual-2': 'half-yearly', irreg: 'irregular', 'as-needed': 'irregular', 'as-required': 'irregular', unknown: 'irregular',
    实时: 'realtime', 每日: 'daily', 每天: 'daily', 每周: 'weekly', 每月: 'monthly', 每季度: 'quarterly', 每半年: 'half-yearly', 每年: 'yearly', 不定期: 'irregular',
  };
  return synonyms[word];
}

/** EU data themes: their English labels (the scheme's prefLabels). */
export const DATA_THEMES: Record<string, string> = {
  AGRI: 'Agriculture, fisheries, forestry and food',
  ECON: 'Economy and finance',
  EDUC: 'Education, culture and sport',
  ENER: 'Energy',
  ENVI: 'Environment',
  GOVE: 'Government and public sector',
  HEAL: 'Health',
  INTR: 'International issues',
  JUST: 'Justice, legal system and public safety',
  REGI: 'Regions and cities',
  SOCI: 'Population and society',
  TECH: 'Science and technology',
  TRAN: 'Transport',
};

/** The guide's twelve themes (class 2 items) → EU data themes. */
export const THEME_TO_EU: Record<string, string> = {
  '01': 'GOVE', '02': 'HEAL', '03': 'SOCI', '04': 'HEAL', '05': 'JUST', '06': 'ECON',
  '07': 'ENER', '08': 'ECON', '09': 'REGI', '10': 'SOCI', '11': 'ENVI', '12': 'JUST',
};

/** Base items (class 1) → EU data themes. */
export const BASE_TO_EU: Record<string, string> = { '01': 'SOCI', '02': 'ECON', '03': 'REGI', '04': 'ECON', '05': 'GOVE', '06': 'ECON' };

export const dataThemeIri = (code: string): string => `${EU}data-theme/${code}`;
export const DATA_THEME_SCHEME = `${EU}data-theme`;

export const LANGUAGES = [
  { iri: `${EU}language/ZHO`, label: 'Chinese' },
  { iri: `${EU}language/ENG`, label: 'English' },
];

export const ACCESS_PUBLIC = `${EU}access-right/PUBLIC`;
export const AVAILABILITY_STABLE = `${EU}planned-availability/STABLE`;

export const FILE_TYPES = {
  CSV: { iri: `${EU}file-type/CSV`, mediaType: 'text/csv' },
  JSON: { iri: `${EU}file-type/JSON`, mediaType: 'application/json' },
} as const;

export const mediaTypeIri = (mediaType: string): string => `https://www.iana.org/assignments/media-types/${mediaType}`;

/** ADMS publisher types by the directory's level of the organization. */
export const PUBLISHER_TYPES: Record<string, { iri: string; label: string }> = {
  central: { iri: 'http://purl.org/adms/publishertype/NationalAuthority', label: 'National authority' },
  province: { iri: 'http://purl.org/adms/publishertype/RegionalAuthority', label: 'Regional authority' },
  city: { iri: 'http://purl.org/adms/publishertype/LocalAuthority', label: 'Local authority' },
  county: { iri: 'http://purl.org/adms/publishertype/LocalAuthority', label: 'Local authority' },
};

export type Licence = {
  /** The SPDX identifier, the words an entry's licence is best written in ('' when unknown). */
  spdx: string;
  /** CKAN's licence id (its default register's, where the licence is in it). */
  id: string;
  title: string;
  url: string;
  /** The EU licence table's IRI, or '' for a licence it does not list. */
  iri: string;
  /** ADMS licence type. */
  type: { iri: string; label: string } | undefined;
  open: boolean;
};

const ATTRIBUTION = { iri: 'http://purl.org/adms/licencetype/Attribution', label: 'Attribution' };
const PUBLIC_DOMAIN = { iri: 'http://purl.org/adms/licencetype/PublicDomain', label: 'Public domain' };
const SHARE_ALIKE = { iri: 'http://purl.org/adms/licencetype/ShareAlike', label: 'Share-alike' };
const NON_COMMERCIAL = { iri: 'http://purl.org/adms/licencetype/NonCommercialUseOnly', label: 'Non-commercial use only' };

const KNOWN: (Licence & { aliases: string[] })[] = [
  { spdx: 'CC-BY-4.0', id: 'cc-by', title: 'Creative Commons Attribution 4.0', url: 'https://creativecommons.org/licenses/by/4.0/', iri: `${EU}licence/CC_BY_4_0`, type: ATTRIBUTION, open: true, aliases: ['cc-by-4.0', 'cc by 4.0', 'cc-by', 'cc by', 'cc_by_4_0', 'creative commons attribution', 'creative commons attribution 4.0', 'https://creativecommons.org/licenses/by/4.0/'] },
  { spdx: 'CC-BY-SA-4.0', id: 'cc-by-sa', title: 'Creative Commons Attribution Share-Alike 4.0', url: 'https://creativecommons.org/licenses/by-sa/4.0/', iri: `${EU}licence/CC_BYSA_4_0`, type: SHARE_ALIKE, open: true, aliases: ['cc-by-sa-4.0', 'cc by-sa 4.0', 'cc-by-sa', 'cc_bysa_4_0', 'creative commons attribution share-alike', 'https://creativecommons.org/licenses/by-sa/4.0/'] },
  { spdx: 'CC0-1.0', id: 'cc-zero', title: 'Creative Commons CCZero', url: 'https://creativecommons.org/publicdomain/zero/1.0/', iri: `${EU}licence/CC0`, type: PUBLIC_DOMAIN, open: true, aliases: ['cc0-1.0', 'cc0', 'cc-zero', 'cc0 1.0', 'creative commons cczero', 'https://creativecommons.org/publicdomain/zero/1.0/'] },
  { spdx: 'CC-BY-NC-4.0', id: 'cc-nc', title: 'Creative Commons Non-Commercial 4.0', url: 'https://creativecommons.org/licenses/by-nc/4.0/', iri: `${EU}licence/CC_BYNC_4_0`, type: NON_COMMERCIAL, open: false, aliases: ['cc-by-nc-4.0', 'cc by-nc 4.0', 'cc-nc', 'cc-by-nc', 'cc_bync_4_0', 'https://creativecommons.org/licenses/by-nc/4.0/'] },
  { spdx: 'ODbL-1.0', id: 'odc-odbl', title: 'Open Data Commons Open Database License (ODbL)', url: 'https://opendatacommons.org/licenses/odbl/1-0/', iri: `${EU}licence/ODC_BL`, type: SHARE_ALIKE, open: true, aliases: ['odbl-1.0', 'odbl', 'odc-odbl', 'odc_bl'] },
  { spdx: 'ODC-By-1.0', id: 'odc-by', title: 'Open Data Commons Attribution License', url: 'https://opendatacommons.org/licenses/by/1-0/', iri: `${EU}licence/ODC_BY`, type: ATTRIBUTION, open: true, aliases: ['odc-by-1.0', 'odc-by', 'odc_by'] },
  { spdx: 'PDDL-1.0', id: 'odc-pddl', title: 'Open Data Commons Public Domain Dedication and License (PDDL)', url: 'https://opendatacommons.org/licenses/pddl/1-0/', iri: `${EU}licence/ODC_PDDL`, type: PUBLIC_DOMAIN, open: true, aliases: ['pddl-1.0', 'pddl', 'odc-pddl', 'odc_pddl'] },
];

/**
 * An entry's licence text → what the exports say of it. A licence the tables do not list
 * keeps its own words as CKAN id and title, and is described, without an IRI, in DCAT.
 */
export function licenceOf(text: string): Licence {
  const key = text.trim().toLowerCase().replace(/\s+/g, ' ');
  const euCode = /\/licence\/([A-Z0-9_]+)$/i.exec(text.trim())?.[1]?.toLowerCase();
  const known = KNOWN.find((l) => l.aliases.includes(key) || (euCode !== undefined && l.iri.toLowerCase().endsWith(`/${euCode}`)));
  if (known) {
    const { aliases: _aliases, ...licence } = known;
    return licence;
  }
  return { spdx: '', id: text.trim(), title: text.trim(), url: '', iri: '', type: undefined, open: true };
}
