// A record's fields as a description list: labels in the UI language, code values by name,
// division codes with their names, and links to the people a population record names.
import { useEffect, useState } from 'react';
import { api, type Division } from '../../../api.ts';
import { useI18n } from '../../../i18n/index.tsx';
import { Link } from '../../../router.tsx';
import { recordPagePath, type FieldInfo, type RecordData, type RegistryDetail } from './api.ts';
import { displayValue, fieldLabel, isDivisionField } from './fields.ts';

const divisionNames = new Map<string, Promise<string | undefined>>();

function divisionName(code: string): Promise<string | undefined> {
  let found = divisionNames.get(code);
  if (!found) {
    found = api
      .get<{ items: Division[] }>('/api/divisions', { q: code })
      .then((r) => r.items.find((d) => d.code === code)?.name)
      .catch(() => undefined);
    divisionNames.set(code, found);
  }
  return found;
}

export function DivisionName({ code }: { code: string }) {
  const [name, setName] = useState<string | undefined>();
  useEffect(() => {
    let current = true;
    void divisionName(code).then((n) => current && setName(n));
    return () => {
      current = false;
    };
  }, [code]);
  return (
    <>
      <span className="mono">{code}</span>
      {name && ` ${name}`}
    </>
  );
}

/** A population record's links to other people (parents, spouse) open their records. */
const linksToPerson = (definition: RegistryDetail, field: FieldInfo) => definition.name === 'population' && field.name !== definition.keyField && /Id$/.test(field.name);

export function FieldValue({ definition, field, value }: { definition: RegistryDetail; field: FieldInfo; value: unknown }) {
  const { t, lang } = useI18n();
  const text = displayValue(field, value, lang, [t('records.yes'), t('records.no')]);
  if (text === '') return <span className="muted">{t('records.empty')}</span>;
  if (isDivisionField(field)) return <DivisionName code={text} />;
  if (linksToPerson(definition, field)) return <Link to={recordPagePath('population', text)}>{text}</Link>;
  if (field.type === 'text') return <span style={{ whiteSpace: 'pre-wrap' }}>{text}</span>;
  return <>{text}</>;
}

export function RecordValues({ definition, data, masked = [], testId }: { definition: RegistryDetail; data: RecordData; masked?: string[]; testId?: string }) {
  const { t, lang } = useI18n();
  return (
    <dl className="fields" data-testid={testId}>
      {definition.fields.map((field) => (
        <div className="fields-row" key={field.name}>
          <dt>{fieldLabel(field, lang)}</dt>
          <dd>
            <FieldValue definition={definition} field={field} value={data[field.name]} />
            {masked.includes(field.name) && <span className="muted"> {t('records.masked')}</span>}
          </dd>
        </div>
      ))}
    </dl>
  );
}
