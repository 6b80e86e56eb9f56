// Domain errors: plain classes with a stable code. They know nothing of HTTP;
// src/http/problem.ts maps them to problem+json.

export type FieldError = { field: string; code: string; message: string; messageZh?: string };

export class DomainError extends Error {
  readonly code: string;
  readonly messageZh: string | undefined;
  /** Fields the error is about, so a form can show it beside the right input. */
  readonly errors: FieldError[] | undefined;
  constructor(code: string, message: string, messageZh?: string, errors?: FieldError[]) {
    super(message);
    this.code = code;
    this.messageZh = messageZh;
    this.errors = errors;
  }
}

export class ValidationError extends DomainError {
  declare readonly errors: FieldError[];
  constructor(errors: FieldError[]) {
    super(
      'validation_failed',
      `Invalid fields: ${errors.map((e) => `${e.field} (${e.message})`).join('; ')}`,
      `请求字段无效：${errors.map((e) => `${e.field}（${e.messageZh ?? e.message}）`).join('；')}`,
      errors,
    );
  }
}

export class NotFoundError extends DomainError {
  constructor(what: string, id: string, whatZh: string) {
    super('not_found', `No ${what} ${id}. It may have been mistyped.`, `找不到${whatZh} ${id}，请检查是否输入有误。`);
  }
}

export class ConflictError extends DomainError {}
export class UnauthenticatedError extends DomainError {
  constructor(code = 'unauthenticated', message = 'Sign in first.', messageZh = '请先登录。') {
    super(code, message, messageZh);
  }
}
export class ForbiddenError extends DomainError {
  constructor(message = 'Your role does not allow this action.', messageZh = '您的角色无权执行此操作。', code = 'forbidden') {
    super(code, message, messageZh);
  }
}
export class LockedError extends DomainError {}
export class RateLimitedError extends DomainError {}

/** Builds a ValidationError for one field. */
export function invalidField(field: string, code: string, message: string, messageZh?: string): ValidationError {
  return new ValidationError([{ field, code, message, messageZh }]);
}
