// Test data builders: buildX(services, overrides) creates a valid X through the services,
// so factories obey the same rules as the API.
import crypto from 'node:crypto';
import type { Services } from '../app.ts';
import { localOperator, type Role } from '../platform/actor.ts';
import { buildCreditCode } from '../platform/codes/credit-code.ts';
import { createSecretBox, type SecretBox } from '../platform/secret-box.ts';
import type { Organization, OrganizationCreate } from '../modules/directory/index.ts';

export const TEST_PASSWORD = 'Test#2026pass';
/** A fixed master key for tests (32 bytes, hex): never a real one. */
export const TEST_MASTER_KEY = '00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff';

export function testSecretBox(): SecretBox {
  return createSecretBox(Buffer.from(TEST_MASTER_KEY, 'hex'));
}
const operator = localOperator('test-factory');

/** A fresh valid credit code in the given division. */
export function newCreditCode(divisionCode: string, entityType: '11' | '12' = '11'): string {
  const body = crypto.randomBytes(6).toString('hex').toUpperCase().replace(/[^0-9A-Z]/g, '0').slice(0, 8);
  return buildCreditCode(entityType[0], entityType[1], divisionCode, body);
}

export async function buildOrganization(services: Services, overrides: Partial<OrganizationCreate> = {}): Promise<Organization> {
  const divisionCode = overrides.divisionCode ?? '330000';
  const suffix = crypto.randomBytes(3).toString('hex');
  return services.directory.service.create(operator, {
    parentId: null,
    nameZh: `测试单位${suffix}`,
    nameEn: `Test Body ${suffix}`,
    creditCode: newCreditCode(divisionCode),
    divisionCode,
    type: 'organ',
    ...overrides,
  });
}

export async function buildUser(services: Services, overrides: { orgId: string; roles: Role[]; username?: string; password?: string; temporaryPassword?: boolean }) {
  const username = overrides.username ?? `user-${crypto.randomBytes(4).toString('hex')}`;
  return services.identity.accounts.create(
    operator,
    { username, displayName: `用户 ${username}`, orgId: overrides.orgId, roles: overrides.roles, password: overrides.password ?? TEST_PASSWORD },
    { temporaryPassword: overrides.temporaryPassword ?? false },
  );
}
