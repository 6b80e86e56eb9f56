// The action codes the server writes to the audit log, for labels and the action filter's
// suggestions. The server keeps no list of them, so this one is kept by hand: a new action
// still shows, by its raw code, until it is added here and to both catalogs.
export const AUDIT_ACTIONS = [
  'identity.sign_in',
  'identity.sign_out',
  'identity.password.change',
  'identity.token.create',
  'identity.token.revoke',
  'identity.user.create',
  'identity.user.update',
  'identity.user.reset_password',
  'identity.user.read',
  'directory.organization.create',
  'directory.organization.update',
  'directory.organization.deactivate',
  'directory.organization.reactivate',
  'directory.subsystem.create',
  'directory.subsystem.update',
  'directory.subsystem.deactivate',
  'trust.ca.create',
  'trust.tsa.create',
  'trust.configuration_signer.create',
  'trust.certificate.request',
  'trust.certificate.renew_request',
  'trust.certificate.issue',
  'trust.certificate.reject',
  'trust.certificate.revoke',
  'trust.document.sign',
  'exchange.service.create',
  'exchange.service.update',
  'exchange.right.grant',
  'exchange.right.revoke',
  'exchange.group.create',
  'exchange.group.add',
  'exchange.group.remove',
  'exchange.node.central',
  'exchange.node.register',
  'exchange.node.approve',
  'exchange.node.reject',
  'exchange.client_credential.add',
  'exchange.client_credential.revoke',
  'audit.export',
  'audit.verify',
] as const;
export type AuditAction = (typeof AUDIT_ACTIONS)[number];

/** Module prefixes, offered in the filter to find all of a module's actions at once. */
export const AUDIT_ACTION_MODULES = ['identity', 'directory', 'trust', 'exchange', 'audit'] as const;
