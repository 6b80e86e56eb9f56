// A service's e-form as the builder calls it, with the server's own types (type-only imports,
// erased from the bundle): read and write the form by version, and the registry fields a form
// may prefill.
import type { FormDefinition, FormField, FormFieldType, FormSection, FormView, PrefillField } from '../../../../src/modules/services/index.ts';
import { api, request } from '../../api.ts';
import type { MessageKey } from '../../i18n/index.tsx';

export type { FormDefinition, FormField, FormFieldType, FormSection, FormView, PrefillField };

const path = (code: string) => `/api/services/${encodeURIComponent(code)}/form`;

export const formsApi = {
  get: (code: string) => api.get<FormView>(path(code)),
  save: (code: string, version: number, form: FormDefinition) => request<FormView>('PUT', path(code), { body: { version, ...form } }),
  prefillFields: () => api.get<{ items: PrefillField[] }>('/api/service-forms/prefill-fields'),
};

// Typed by the server's union: a type missing here is a type error.
export const FIELD_TYPE_LABELS: Record<FormFieldType, MessageKey> = {
  text: 'serviceForms.type.text',
  textarea: 'serviceForms.type.textarea',
  number: 'serviceForms.type.number',
  date: 'serviceForms.type.date',
  select: 'serviceForms.type.select',
  radio: 'serviceForms.type.radio',
  checkbox: 'serviceForms.type.checkbox',
  'id-number': 'serviceForms.type.id-number',
  'credit-code': 'serviceForms.type.credit-code',
  phone: 'serviceForms.type.phone',
  email: 'serviceForms.type.email',
  address: 'serviceForms.type.address',
};
export const FIELD_TYPES = Object.keys(FIELD_TYPE_LABELS) as FormFieldType[];
export const SOURCE_LABELS: Record<PrefillField['source'], MessageKey> = { person: 'serviceForms.source.person', enterprise: 'serviceForms.source.enterprise' };

export const TEXT_TYPES: readonly FormFieldType[] = ['text', 'textarea', 'address', 'phone', 'email'];
export const CHOICE_TYPES: readonly FormFieldType[] = ['select', 'radio', 'checkbox'];
