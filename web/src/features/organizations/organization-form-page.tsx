// Create an organization (optionally under a parent) or edit one. Field errors from the
// server's problem+json are shown next to the matching field.
import { useEffect, useState } from 'react';
import { api, type Organization, type OrgType, type TreeNode } from '../../api.ts';
import { FormButtons } from '../../components/form-buttons.tsx';
import { useOrgDirectory } from '../../components/org-directory.ts';
import { ErrorSummary, fieldErrors, SelectField, TextField } from '../../components/forms.tsx';
import { PageTitle } from '../../components/page.tsx';
import { LoadError, Loading } from '../../components/status.tsx';
import { useSubmit } from '../../components/use-submit.ts';
import { localName } from '../../format.ts';
import { useResource } from '../../hooks.ts';
import { useI18n } from '../../i18n/index.tsx';
import { navigate, useLocation } from '../../router.tsx';
import { DivisionLookup } from './division-lookup.tsx';
import { typeOptions } from './labels.ts';

const FORM = 'org';

type Draft = { parentId: string; nameZh: string; nameEn: string; creditCode: string; divisionCode: string; type: OrgType };

function draftOf(org: Organization): Draft {
  return { parentId: org.parentId ?? '', nameZh: org.nameZh, nameEn: org.nameEn, creditCode: org.creditCode, divisionCode: org.divisionCode, type: org.type };
}

/** Ids of a node and everything under it: an organization cannot move beneath itself. */
function subtreeIds(node: TreeNode | undefined): Set<string> {
  const ids = new Set<string>();
  const walk = (n: TreeNode) => {
    ids.add(n.id);
    n.children.forEach(walk);
  };
  if (node) walk(node);
  return ids;
}

export function OrganizationFormPage({ id }: { id?: string }) {
  const existing = useResource(() => (id ? api.get<Organization>(`/api/organizations/${encodeURIComponent(id)}`) : Promise.resolve(undefined)), id ?? 'new');
  if (id && existing.error) return <LoadError error={existing.error} onRetry={existing.reload} />;
  if (id && !existing.data) return <Loading />;
  return <OrganizationForm existing={existing.data} />;
}

function OrganizationForm({ existing }: { existing: Organization | undefined }) {
  const { t, lang, lookup } = useI18n();
  const { search } = useLocation();
  const directory = useOrgDirectory(lang, 'active');
  const [draft, setDraft] = useState<Draft>(() =>
    existing ? draftOf(existing) : { parentId: search.get('parentId') ?? '', nameZh: '', nameEn: '', creditCode: '', divisionCode: '', type: 'organ' },
  );

  // A child usually sits in its parent's division; start from there when adding a child.
  const parentForDefault = useResource(
    () => (!existing && draft.parentId ? api.get<Organization>(`/api/organizations/${draft.parentId}`) : Promise.resolve(undefined)),
    existing ? '' : draft.parentId,
  );
  useEffect(() => {
    const parent = parentForDefault.data;
    if (parent) setDraft((d) => (d.divisionCode ? d : { ...d, divisionCode: parent.divisionCode }));
  }, [parentForDefault.data]);

  const { error, busy, submit } = useSubmit(async () => {
    const clean = {
      parentId: draft.parentId || null,
      nameZh: draft.nameZh.trim(),
      nameEn: draft.nameEn.trim(),
      creditCode: draft.creditCode.trim().toUpperCase(),
      divisionCode: draft.divisionCode.trim(),
      type: draft.type,
    };
    if (existing) {
      const changes: Record<string, unknown> = { version: existing.version };
      const before: Record<string, unknown> = { ...draftOf(existing), parentId: existing.parentId };
      for (const [key, value] of Object.entries(clean)) if (before[key] !== value) changes[key] = value;
      await api.patch<Organization>(`/api/organizations/${existing.id}`, changes);
      navigate(`/organizations/${existing.id}?saved=1`);
    } else {
      const created = await api.post<Organization>('/api/organizations', clean);
      navigate(`/organizations/${created.id}?created=1`);
    }
  });

  const labels = {
    parentId: t('org.field.parent'),
    nameZh: t('org.field.nameZh'),
    nameEn: t('org.field.nameEn'),
    creditCode: t('org.field.creditCode'),
    divisionCode: t('org.field.divisionCode'),
    type: t('org.field.type'),
  };
  const errors = fieldErrors(lookup, error);
  const set = (key: keyof Draft) => (value: string) => setDraft((d) => ({ ...d, [key]: value }));

  const excluded = existing ? subtreeIds(directory.byId.get(existing.id)) : new Set<string>();
  const parentOptions = [{ value: '', label: t('org.parent.none') }, ...directory.options.filter((o) => !excluded.has(o.value))];
  // Keep a preselected parent visible even before the tree has loaded or if it is inactive.
  if (draft.parentId && !parentOptions.some((o) => o.value === draft.parentId)) {
    const label = parentForDefault.data ? localName(parentForDefault.data, lang) : draft.parentId;
    parentOptions.push({ value: draft.parentId, label });
  }

  const title = existing ? t('org.form.editTitle', { name: localName(existing, lang) }) : t('org.form.createTitle');
  const cancelTo = existing ? `/organizations/${existing.id}` : draft.parentId ? `/organizations/${draft.parentId}` : '/organizations';

  return (
    <>
      <PageTitle>{title}</PageTitle>
      <ErrorSummary error={error} formId={FORM} labels={labels} />
      <form className="form panel" onSubmit={submit} noValidate>
        <SelectField formId={FORM} name="parentId" label={labels.parentId} value={draft.parentId} onChange={set('parentId')} options={parentOptions} error={errors.parentId} />
        <div className="form-grid">
          <TextField formId={FORM} name="nameZh" label={labels.nameZh} value={draft.nameZh} onChange={set('nameZh')} required error={errors.nameZh} />
          <TextField formId={FORM} name="nameEn" label={labels.nameEn} value={draft.nameEn} onChange={set('nameEn')} required error={errors.nameEn} />
        </div>
        <div className="form-grid">
          <TextField
            formId={FORM}
            name="creditCode"
            label={labels.creditCode}
            hint={t('org.field.creditCodeHint')}
            value={draft.creditCode}
            onChange={set('creditCode')}
            required
            maxLength={18}
            spellCheck={false}
            autoComplete="off"
            error={errors.creditCode}
            className="mono-input"
          />
          <div>
            <TextField
              formId={FORM}
              name="divisionCode"
              label={labels.divisionCode}
              hint={t('org.field.divisionHint')}
              value={draft.divisionCode}
              onChange={set('divisionCode')}
              required
              spellCheck={false}
              autoComplete="off"
              error={errors.divisionCode}
              describedById={`${FORM}-division-lookup`}
            />
            <DivisionLookup id={`${FORM}-division-lookup`} query={draft.divisionCode} onPick={set('divisionCode')} />
          </div>
        </div>
        <SelectField formId={FORM} name="type" label={labels.type} hint={t('org.form.levelNote')} value={draft.type} onChange={set('type')} options={typeOptions(t)} required error={errors.type} />
        <FormButtons busy={busy} submitLabel={existing ? t('common.save') : t('common.create')} cancelTo={cancelTo} />
      </form>
    </>
  );
}
