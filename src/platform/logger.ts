// pino logger with redaction: credentials and personal identifiers never reach the log.
import pino from 'pino';

export const REDACTED_PATHS = [
  'password',
  '*.password',
  '*.newPassword',
  '*.currentPassword',
  'token',
  '*.token',
  'req.headers.authorization',
  'req.headers.cookie',
  'req.headers["x-csrf-token"]',
  'res.headers["set-cookie"]',
  '*.idNumber',
  '*.phone',
  '*.email',
  // OpenID Connect: client secrets and the tokens and verifiers of the provider.
  '*.clientSecret',
  '*.client_secret',
  '*.access_token',
  '*.refresh_token',
  '*.id_token',
  '*.code_verifier',
  'databaseUrl',
  '*.databaseUrl',
  // The SMTP address may carry a password.
  'smtpUrl',
  '*.smtpUrl',
];

export type Logger = pino.Logger;

export function createLogger(level: string): Logger {
  return pino({ level, redact: { paths: REDACTED_PATHS, censor: '[redacted]' } });
}
