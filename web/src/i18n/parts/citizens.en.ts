import type { citizensZhCN } from './citizens.zh-CN.ts';

export const citizensEn: Record<keyof typeof citizensZhCN, string> = {
  'audit.action.identity.citizen.register': 'Register a citizen account (real-name check)',
  'audit.action.identity.citizen.sign_in': 'Citizen sign-in',
  'audit.action.identity.citizen.sign_out': 'Citizen sign-out',
  'audit.action.identity.citizen.read': 'Read a citizen account',
  'audit.action.identity.citizen.claims.read': "Release a citizen's identity to a business system",
  'audit.action.identity.citizen.totp.enrol': 'Start setting up two-step sign-in',
  'audit.action.identity.citizen.totp.confirm': 'Turn on two-step sign-in',
  'audit.action.identity.citizen.reset.request': 'Ask for a password reset code',
  'audit.action.identity.citizen.reset.confirm': 'Reset a password with a code',
  'audit.action.identity.citizen.delete': 'Delete a citizen account',
  'audit.action.identity.enterprise.register': 'Register an enterprise account (legal-entity check)',
  'audit.action.identity.enterprise.access': 'Access an enterprise account',
  'audit.action.identity.enterprise.agents.read': "Read an enterprise's agents",
  'audit.action.identity.enterprise.agent.authorize': 'Authorize an agent',
  'audit.action.identity.enterprise.agent.revoke': "Revoke an agent's authorization",
  'audit.action.identity.oidc_client.create': 'Register a sign-in client',
  'audit.action.identity.oidc_client.update': 'Change a sign-in client',
  'audit.action.identity.oidc_client.rotate_secret': "Rotate a sign-in client's secret",
  'audit.action.identity.oidc_client.delete': 'Delete a sign-in client',
};
