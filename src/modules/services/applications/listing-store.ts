// SQL of the filtered, sorted and paged listings GovStack Registration asks for (GET
// /applications and GET /tasks): the applicant's applications, and an officer's open steps.
import { sql, type RawBuilder } from 'kysely';
import type { Executor } from '../../../platform/db.ts';
import type { ApplicationStatus } from './model.ts';
import type { ApplicationRow, TaskRow } from './store.ts';

export type SortOrder = 'asc' | 'desc';
export type Page = { limit: number; offset: number };

export const APPLICATION_SORTS = ['created', 'due', 'id', 'number', 'name', 'nameCaseInsensitive'] as const;
export type ApplicationSort = (typeof APPLICATION_SORTS)[number];

const applicationSort: Record<ApplicationSort, RawBuilder<unknown>> = {
  created: sql`a.created_at`,
  // The date the applicant waits for: the decision's once accepted, the acceptance's before.
  due: sql`coalesce(a.due_date, a.acceptance_due)`,
  id: sql`a.id`,
  number: sql`a.number`,
  name: sql`a.applicant_name`,
  nameCaseInsensitive: sql`lower(a.applicant_name)`,
};

const direction = (order: SortOrder) => (order === 'asc' ? sql`asc` : sql`desc`);
const applicationColumns = sql`a.*, a.acceptance_due::text as acceptance_due, a.accepted_on::text as accepted_on, a.due_date::text as due_date`;

/** The applicant's own applications and their enterprises', optionally of one service. */
export async function applicationsOf(
  db: Executor,
  filter: { citizenId: string; enterpriseIds: string[]; serviceId?: string; sort: ApplicationSort; order: SortOrder } & Page,
): Promise<ApplicationRow[]> {
  const enterprises = filter.enterpriseIds.length ? sql`or a.enterprise_id in (${sql.join(filter.enterpriseIds)})` : sql``;
  const service = filter.serviceId ? sql`and a.service_id = ${filter.serviceId}` : sql``;
  const { rows } = await sql<ApplicationRow>`select ${applicationColumns} from services.applications a
    where (a.applicant_citizen_id = ${filter.citizenId} ${enterprises}) ${service}
    order by ${applicationSort[filter.sort]} ${direction(filter.order)} nulls last, a.id ${direction(filter.order)}
    limit ${filter.limit} offset ${filter.offset}`.execute(db);
  return rows;
}

export const TASK_SORTS = ['due', 'created', 'id', 'application', 'number', 'assignee', 'nameZh', 'nameEn', 'nameZhCaseInsensitive', 'nameEnCaseInsensitive'] as const;
export type TaskSort = (typeof TASK_SORTS)[number];

const taskSort: Record<TaskSort, RawBuilder<unknown>> = {
  due: sql`t.due_date`,
  created: sql`t.created_at`,
  id: sql`t.id`,
  application: sql`t.application_id`,
  number: sql`t.application_number`,
  assignee: sql`t.assignee_name`,
  nameZh: sql`t.name_zh`,
  nameEn: sql`t.name_en`,
  nameZhCaseInsensitive: sql`lower(t.name_zh)`,
  nameEnCaseInsensitive: sql`lower(t.name_en)`,
};

export type ListedTask = TaskRow & { service_id: string; application_status: ApplicationStatus };

/**
 * An officer's open steps as the inbox has them (their organization's, for the duties they
 * hold: unclaimed, or claimed by them), narrowed to one application or one assignee.
 */
export async function openTasksFor(
  db: Executor,
  filter: { orgId: string; duties: string[]; userId: string; applicationId?: string; assigneeId?: string; sort: TaskSort; order: SortOrder } & Page,
): Promise<ListedTask[]> {
  if (filter.duties.length === 0) return [];
  const application = filter.applicationId ? sql`and t.application_id = ${filter.applicationId}` : sql``;
  const assignee = filter.assigneeId ? sql`and t.assignee_id = ${filter.assigneeId}` : sql``;
  const { rows } = await sql<ListedTask>`select t.*, t.due_date::text as due_date, a.service_id, a.status as application_status
    from services.tasks t join services.applications a on a.id = t.application_id
    where t.org_id = ${filter.orgId} and t.duty in (${sql.join(filter.duties)}) and t.status in ('open', 'claimed')
      and (t.status = 'open' or t.assignee_id = ${filter.userId}) ${application} ${assignee}
    order by ${taskSort[filter.sort]} ${direction(filter.order)} nulls last, t.created_at, t.id
    limit ${filter.limit} offset ${filter.offset}`.execute(db);
  return rows;
}
