// The workbench signs staff in through the platform's own OpenID Connect provider, as any
// business system does (decision 0019): a built-in confidential client, the code exchanged on
// the back channel, then the workbench's own session cookie. POST /api/session (password to
// session) stays for machines and tests.
export { WORKBENCH_CLIENT_ID, workbenchClient } from './client.ts';
export { registerWorkbenchClientRoutes, type WorkbenchClientDeps } from './routes.ts';
export { workbenchNext, WORKBENCH_HOME } from './client.ts';
