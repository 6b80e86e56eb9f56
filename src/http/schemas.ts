// Schemas shared by every module's routes.
import { Type, type TUnsafe } from 'typebox';

export const ProblemSchema = Type.Object(
  {
    type: Type.String(),
    title: Type.String(),
    status: Type.Integer(),
    code: Type.String(),
    detail: Type.String(),
    instance: Type.Optional(Type.String()),
    errors: Type.Optional(Type.Array(Type.Object({ field: Type.String(), code: Type.String(), message: Type.String() }))),
  },
  { description: 'RFC 9457 problem details; `code` is stable, `detail` follows Accept-Language.' },
);

/** The error answers a staff route can give, for the OpenAPI document. */
export const STAFF_ERRORS = {
  400: ProblemSchema,
  401: ProblemSchema,
  403: ProblemSchema,
  404: ProblemSchema,
  409: ProblemSchema,
} as const;

export const NoContent = Type.Null({ description: 'No content' });

/** A string limited to `values`, typed as their union (TypeBox's Union of Literals loses the type when mapped). */
export function StringEnum<const T extends readonly string[]>(values: T, description?: string): TUnsafe<T[number]> {
  return Type.Unsafe<T[number]>({ type: 'string', enum: [...values], ...(description ? { description } : {}) });
}
