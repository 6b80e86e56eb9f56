// Member identifiers (INSTANCE/CLASS/CODE) to organization names, from the organization
// directory: nodes and registrations name members by identifier only, but an operator checks
// them by name.
import { useMemo } from 'react';
import { useOrgDirectory } from '../../components/org-directory.ts';
import { localName } from '../../format.ts';
import type { Lang } from '../../i18n/index.tsx';

/** The member's name in the UI language, or undefined when the directory does not know it. */
export type MemberName = (identifier: string) => string | undefined;

export function useMemberNames(lang: Lang): MemberName {
  const directory = useOrgDirectory(lang);
  return useMemo(() => {
    const byIdentifier = new Map<string, string>();
    for (const node of directory.byId.values()) byIdentifier.set(node.identifier, localName(node, lang));
    return (identifier: string) => byIdentifier.get(identifier);
  }, [directory.byId, lang]);
}
