// Life events of the population registry: birth, death, move, marriage and divorce. Each is
// applied as new versions of the records it touches, in one transaction, with the event
// record kept beside each version, so the history reads as what happened, not only as
// which fields changed. A marriage or a death changes the spouse's record too.
import { ConflictError, ValidationError, invalidField, type FieldError } from '../../../platform/errors.ts';
import type { RecordData } from './validate.ts';
import type { Records, RecordView, Writer } from './records.ts';

export const LIFE_EVENTS = ['birth', 'death', 'move', 'marriage', 'divorce'] as const;
export type LifeEventType = (typeof LIFE_EVENTS)[number];

const POPULATION = 'population';

export type LifeEventInput =
  | { type: 'birth'; date: string; person: RecordData; reason?: string }
  | { type: 'death'; date: string; idNumber: string; version: number; reason?: string }
  | { type: 'move'; date: string; idNumber: string; version: number; hukouDivision?: string; hukouAddress?: string; currentDivision?: string; currentAddress?: string; reason?: string }
  | { type: 'marriage'; date: string; idNumber: string; version: number; spouseId: string; reason?: string }
  | { type: 'divorce'; date: string; idNumber: string; version: number; reason?: string };

const MARRIED = '20';
const WIDOWED = '30';
const DIVORCED = '40';

const notLiving = (idNumber: string) => new ConflictError('person_not_living', `Person ${idNumber} is not living; the event cannot apply.`, `${idNumber} 不是在世人员，无法办理此事项。`);

/** Applies a life event; returns the records as they now are (the person first). */
export async function applyLifeEvent(records: Records, writer: Writer, input: LifeEventInput): Promise<RecordView[]> {
  if (!(LIFE_EVENTS as readonly string[]).includes(input.type)) throw invalidField('type', 'unknown_event', `must be one of ${LIFE_EVENTS.join(', ')}`, `应为 ${LIFE_EVENTS.join('、')} 之一`);
  if (typeof input.date !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(input.date)) throw invalidField('date', 'type', 'must be the date of the event, YYYY-MM-DD', '应为事项发生日期，格式 YYYY-MM-DD');
  const reason = input.reason?.trim() || `${input.type} ${input.date}`;
  const event = (extra: Record<string, unknown> = {}) => ({ type: input.type, date: input.date, ...extra });

  return records.inTransaction(writer, POPULATION, async (trx, registry) => {
    const load = async (idNumber: string, field: string) => {
      const found = await records.currentIn(trx, registry, idNumber);
      if (!found) throw new ValidationError([{ field, code: 'no_such_person', message: `names nobody in the population registry (${idNumber.slice(0, 6)}…)`, messageZh: `人口库中查无此人（${idNumber.slice(0, 6)}…）` }]);
      return found;
    };
    switch (input.type) {
      case 'birth': {
        const person: RecordData = { ...input.person, status: 'living', birthDate: input.person.birthDate ?? input.date };
        if (person.birthDate !== input.date) throw invalidField('person.birthDate', 'disagrees_with_event', 'must be the date of the birth event', '应与出生登记日期一致');
        return [await records.createIn(trx, writer, registry, person, { reason, event: event({ fatherId: person.fatherId ?? null, motherId: person.motherId ?? null }) })];
      }
      case 'death': {
        const person = await load(input.idNumber, 'idNumber');
        if (person.data.status !== 'living') throw notLiving(person.key);
        const changed = [await records.updateIn(trx, writer, registry, person.key, { expected: input.version, patch: { status: 'deceased', deathDate: input.date }, reason, event: event() })];
        const spouseId = person.data.spouseId as string | undefined;
        if (spouseId) {
          const spouse = await load(spouseId, 'spouseId');
          if (spouse.data.spouseId === person.key) changed.push(await records.updateIn(trx, writer, registry, spouseId, { expected: spouse.version, patch: { maritalStatus: WIDOWED, spouseId: null }, reason, event: event({ of: person.key }) }));
        }
        return changed;
      }
      case 'move': {
        const patch: RecordData = {};
        for (const field of ['hukouDivision', 'hukouAddress', 'currentDivision', 'currentAddress'] as const) if (input[field] !== undefined) patch[field] = input[field];
        if (Object.keys(patch).length === 0) throw invalidField('currentAddress', 'required', 'a move changes at least one address or division', '迁移至少应变更一项地址或行政区划');
        if ((patch.hukouDivision === undefined) !== (patch.hukouAddress === undefined)) throw invalidField(patch.hukouDivision === undefined ? 'hukouDivision' : 'hukouAddress', 'required', 'moves with the household-registration address (both division and address)', '户籍迁移须同时填写户籍地行政区划和户籍地址');
        const person = await load(input.idNumber, 'idNumber');
        if (person.data.status !== 'living') throw notLiving(person.key);
        return [await records.updateIn(trx, writer, registry, person.key, { expected: input.version, patch, reason, event: event({ from: { hukouDivision: person.data.hukouDivision, currentDivision: person.data.currentDivision ?? null } }) })];
      }
      case 'marriage': {
        const person = await load(input.idNumber, 'idNumber');
        const spouse = await load(String(input.spouseId ?? ''), 'spouseId');
        const errors: FieldError[] = [];
        if (person.key === spouse.key) errors.push({ field: 'spouseId', code: 'self_reference', message: 'names the person themself', messageZh: '不能是本人' });
        for (const [who, field] of [[person, 'idNumber'], [spouse, 'spouseId']] as const) {
          if (who.data.status !== 'living') errors.push({ field, code: 'not_living', message: 'is not a living person', messageZh: '不是在世人员' });
          else if (who.data.maritalStatus === MARRIED) errors.push({ field, code: 'already_married', message: 'is already married', messageZh: '已登记结婚' });
        }
        if (errors.length > 0) throw new ValidationError(errors);
        return [
          await records.updateIn(trx, writer, registry, person.key, { expected: input.version, patch: { maritalStatus: MARRIED, spouseId: spouse.key }, reason, event: event({ spouseId: spouse.key }) }),
          await records.updateIn(trx, writer, registry, spouse.key, { expected: spouse.version, patch: { maritalStatus: MARRIED, spouseId: person.key }, reason, event: event({ spouseId: person.key }) }),
        ];
      }
      case 'divorce': {
        const person = await load(input.idNumber, 'idNumber');
        const spouseId = person.data.spouseId as string | undefined;
        if (person.data.maritalStatus !== MARRIED || !spouseId) throw invalidField('idNumber', 'not_married', 'is not married', '未登记结婚');
        const changed = [await records.updateIn(trx, writer, registry, person.key, { expected: input.version, patch: { maritalStatus: DIVORCED, spouseId: null }, reason, event: event({ spouseId }) })];
        const spouse = await load(spouseId, 'spouseId');
        if (spouse.data.spouseId === person.key) changed.push(await records.updateIn(trx, writer, registry, spouse.key, { expected: spouse.version, patch: { maritalStatus: DIVORCED, spouseId: null }, reason, event: event({ spouseId: person.key }) }));
        return changed;
      }
    }
  });
}
