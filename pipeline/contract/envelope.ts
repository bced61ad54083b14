import type { z } from 'zod';

/** How a failure crosses any transport: a stable code, a sentence for people, and zod's issues when relevant. */
export type ErrorCode =
  'VALIDATION' | 'UNKNOWN_CALL' | 'FORBIDDEN' | 'NOT_FOUND' | 'CONFLICT' | 'CANCELLED' | 'FAILED';

export interface ApiIssue {
  path: string;
  message: string;
}

export interface ApiErrorData {
  code: ErrorCode;
  message: string;
  issues?: ApiIssue[];
}

export type Envelope<T = unknown> = { ok: true; value: T } | { ok: false; error: ApiErrorData };

export class ApiError extends Error {
  readonly code: ErrorCode;
  readonly issues: ApiIssue[] | undefined;

  constructor(data: ApiErrorData) {
    super(data.message);
    this.name = 'ApiError';
    this.code = data.code;
    this.issues = data.issues;
  }

  toData(): ApiErrorData {
    return { code: this.code, message: this.message, ...(this.issues ? { issues: this.issues } : {}) };
  }
}

export function issuesOf(error: z.ZodError): ApiIssue[] {
  return error.issues.map((issue) => ({
    path: issue.path.length ? issue.path.map(String).join('.') : '(root)',
    message: issue.message,
  }));
}

/** "Invalid request for settings.update: brokerPort: Invalid input: expected number, received string". */
export function validationError(what: string, error: z.ZodError): ApiError {
  const issues = issuesOf(error);
  const detail = issues.map((i) => `${i.path}: ${i.message}`).join('; ');
  return new ApiError({ code: 'VALIDATION', message: `Invalid ${what}: ${detail}`, issues });
}
