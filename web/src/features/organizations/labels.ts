import { ORG_LEVELS, ORG_TYPES } from '../../api.ts';
import type { Option } from '../../components/forms.tsx';
import type { Translate } from '../../i18n/index.tsx';

export function typeOptions(t: Translate): Option[] {
  return ORG_TYPES.map((type) => ({ value: type, label: t(`orgType.${type}`) }));
}

export function levelOptions(t: Translate): Option[] {
  return ORG_LEVELS.map((level) => ({ value: level, label: t(`level.${level}`) }));
}
