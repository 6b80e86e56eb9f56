// The one place that turns errors into RFC 9457 problem+json. Domain errors carry a stable
// code; anything unexpected becomes a 500 whose details stay in the log.
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import {
  ConflictError,
  DomainError,
  ForbiddenError,
  LockedError,
  NotFoundError,
  RateLimitedError,
  UnauthenticatedError,
  ValidationError,
  type FieldError,
} from '../platform/errors.ts';

export type Problem = {
  type: string;
  title: string;
  status: number;
  code: string;
  detail: string;
  instance?: string;
  errors?: FieldError[];
};

const TITLES: Record<number, [string, string]> = {
  400: ['Invalid request', '请求无效'],
  401: ['Not signed in', '未登录'],
  403: ['Not allowed', '无权操作'],
  404: ['Not found', '未找到'],
  409: ['Conflict', '冲突'],
  413: ['Request too large', '请求过大'],
  415: ['Unsupported media type', '不支持的媒体类型'],
  423: ['Account locked', '账户已锁定'],
  429: ['Too many requests', '请求过于频繁'],
  500: ['Internal error', '内部错误'],
  503: ['Service unavailable', '服务不可用'],
};

export function prefersChinese(request: FastifyRequest): boolean {
  const header = String(request.headers['accept-language'] ?? '');
  const first = header.split(',')[0]?.trim().toLowerCase() ?? '';
  return first.startsWith('zh');
}

function statusOf(error: DomainError): number {
  if (error instanceof ValidationError) return 400;
  if (error instanceof UnauthenticatedError) return 401;
  if (error instanceof ForbiddenError) return 403;
  if (error instanceof NotFoundError) return 404;
  if (error instanceof ConflictError) return 409;
  if (error instanceof LockedError) return 423;
  if (error instanceof RateLimitedError) return 429;
  return 400;
}

// Ajv reports "/nameZh" or a missing property; users want the field's name.
function fieldErrorsFromValidation(error: FastifyError): FieldError[] {
  const context = (error as { validationContext?: string }).validationContext ?? 'body';
  return (error.validation ?? []).map((v) => {
    const missing = (v.params as { missingProperty?: string; additionalProperty?: string }) ?? {};
    const path = v.instancePath.replace(/^\//, '').replaceAll('/', '.');
    const name = missing.missingProperty ?? missing.additionalProperty;
    const field = [path, name].filter(Boolean).join('.') || context;
    const message = missing.additionalProperty ? `unknown field "${missing.additionalProperty}"` : (v.message ?? 'is invalid');
    return { field, code: v.keyword, message };
  });
}

export function toProblem(error: unknown, request: FastifyRequest): Problem {
  const zh = prefersChinese(request);
  const build = (status: number, code: string, detail: string, errors?: FieldError[]): Problem => ({
    type: `https://egov.dev/problems/${code}`,
    title: (TITLES[status] ?? TITLES[500])[zh ? 1 : 0],
    status,
    code,
    detail,
    instance: request.url.split('?')[0],
    ...(errors && errors.length > 0 ? { errors } : {}),
  });

  if (error instanceof DomainError) {
    const status = statusOf(error);
    const detail = zh && error.messageZh ? error.messageZh : error.message;
    const errors = error.errors?.map(({ messageZh, ...e }) => ({ ...e, message: zh && messageZh ? messageZh : e.message }));
    return build(status, error.code, detail, errors);
  }
  const fastifyError = error as FastifyError;
  if (fastifyError.validation) {
    const errors = fieldErrorsFromValidation(fastifyError);
    const detail = zh
      ? `请求字段无效：${errors.map((e) => `${e.field}（${e.message}）`).join('；')}`
      : `Invalid fields: ${errors.map((e) => `${e.field} (${e.message})`).join('; ')}`;
    return build(400, 'validation_failed', detail, errors);
  }
  const status = fastifyError.statusCode;
  if (status && status >= 400 && status < 500) {
    const code = (fastifyError.code ?? 'bad_request').toLowerCase().replace(/^fst_err_/, '');
    return build(status, status === 429 ? 'rate_limited' : code, fastifyError.message);
  }
  return build(500, 'internal_error', zh ? '服务器内部错误，已记录。请稍后重试；若持续发生，请联系运维人员并提供请求编号。' : 'Something went wrong on our side and it has been logged. Try again; if it persists, give the operators the request id.');
}

export function sendProblem(reply: FastifyReply, problem: Problem): FastifyReply {
  return reply.code(problem.status).type('application/problem+json').send(problem);
}
