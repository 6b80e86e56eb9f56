// Loads the demo dataset through the same services the API uses, so every row is validated
// and audited like any other change.
import crypto from 'node:crypto';
import type { Services } from '../app.ts';
import { mustUseTotp } from '../modules/identity/index.ts';
import { localOperator } from '../platform/actor.ts';
import { checkPasswordPolicy } from '../platform/password.ts';
import { seedOpenData } from './open-data.ts';
import { seedServices } from './services.ts';
import { seedLicences } from './licences.ts';
import { seedApprovalStaff, seedJointReview } from './approval.ts';
import { seedRegistriesDemo } from './registries.ts';
import { publishDemoRegistries } from './registry-services.ts';
import { DEMO_SUBSYSTEMS, DEMO_DIVISIONS, DEMO_ORGS, DEMO_TOTP_SECRET, demoCreditCode, demoUsers } from './dataset.ts';

export type SeedResult = { seeded: boolean; organizations: number; users: string[]; password: string | undefined; generated: boolean };

/** A password that meets the level-3 policy, for when EGOV_DEMO_PASSWORD is not set. */
export function generatePassword(): string {
  for (;;) {
    const candidate = `${crypto.randomBytes(9).toString('base64url')}#7a`;
    if (!checkPasswordPolicy(candidate)) return candidate;
  }
}

export async function hasAnyOrganization(services: Services): Promise<boolean> {
  return (await services.directory.service.search({ status: 'all', limit: 1 })).total > 0;
}

export async function seedDemo(services: Services, demoPassword: string | undefined): Promise<SeedResult> {
  const users = demoUsers().map((u) => u.username);
  if (await hasAnyOrganization(services)) return { seeded: false, organizations: 0, users, password: undefined, generated: false };
  const password = demoPassword ?? generatePassword();
  const problem = checkPasswordPolicy(password);
  if (problem) throw new Error(`EGOV_DEMO_PASSWORD ${problem.message}.`);
  const operator = localOperator('seed');
  const directory = services.directory.service;
  for (const division of DEMO_DIVISIONS) await directory.addLocalDivision(division);

  const ids = new Map<string, string>();
  for (const [index, org] of DEMO_ORGS.entries()) {
    const created = await directory.create(operator, {
      parentId: org.parentKey ? ids.get(org.parentKey)! : null,
      nameZh: org.nameZh,
      nameEn: org.nameEn,
      creditCode: demoCreditCode(org, index),
      divisionCode: org.divisionCode,
      type: org.type,
    });
    ids.set(org.key, created.id);
  }
  for (const subsystem of DEMO_SUBSYSTEMS) {
    await directory.createSubsystem(operator, ids.get(subsystem.orgKey)!, { code: subsystem.code, nameZh: subsystem.nameZh, nameEn: subsystem.nameEn, description: subsystem.description });
  }
  // Hashing is the slow part; the thread pool runs several at once.
  const accounts = await Promise.all(
    demoUsers().map((u) =>
      services.identity.accounts.create(
        operator,
        { username: u.username, displayName: u.displayName, orgId: ids.get(u.orgKey)!, roles: u.roles, password },
        { temporaryPassword: false },
      ),
    ),
  );
  for (const [i, u] of demoUsers().entries()) {
    if (mustUseTotp(u.roles)) await services.identity.staffTotp.installKnownSecret(operator, accounts[i].id, DEMO_TOTP_SECRET);
  }
  await seedRegistriesDemo(services, ids);
  const admins = new Map(demoUsers().flatMap((u, i) => (u.roles.includes('org_admin') ? [[u.orgKey, accounts[i]] as const] : [])));
  await publishDemoRegistries(services, ids, admins);
  // The catalog: the data bureau reviews entries; the base registries' entries are derived.
  await services.catalog.service.configure(operator, { reviewerOrgId: ids.get('data')!, answerWorkingDays: 10 });
  await services.catalog.syncBase(operator);
  await seedOpenData(services, ids);
  await seedServices(services, ids);
  const byUsername = new Map(demoUsers().map((u, i) => [u.username, accounts[i]!] as const));
  await seedLicences(services, ids, byUsername);
  await seedApprovalStaff(services, ids, byUsername);
  await seedJointReview(services, ids, byUsername);
  return { seeded: true, organizations: DEMO_ORGS.length, users, password, generated: demoPassword === undefined };
}
