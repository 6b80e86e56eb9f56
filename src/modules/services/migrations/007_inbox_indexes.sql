-- The inbox (store.inbox) shows an organization's open steps soonest due first, 50 at a time,
-- and counts them up to 10,000. The first tasks_inbox_idx led with the duty and the status, so
-- every open step of the organization was fetched from the table (a page each: one
-- organization's steps are spread over it among everyone else's) and sorted, for the page and
-- again for the count: some 25 ms each over a million applications, 80 ms when not cached.
-- Led by the organization and the due date, the page is read in order and stops after 50 rows;
-- with the duty, status and assignee included, the count is an index-only scan. "Mine" (steps
-- the officer claimed) has an index of its own, small because few steps are claimed at a time.
drop index if exists services.tasks_inbox_idx;
create index tasks_inbox_idx on services.tasks (org_id, due_date, created_at) include (duty, status, assignee_id) where status in ('open', 'claimed');
create index tasks_claimed_idx on services.tasks (assignee_id, org_id, due_date, created_at) include (duty) where status = 'claimed';
