/**
 * One error format for the whole API, and the one handler that produces it. Every failure, from a
 * malformed JSON body to an unreachable Temporal server, answers
 * `{ error: { code, message, rule?, unmet?, fields? } }`: a stable English code for programs, a
 * Dutch message for people, the R-rule when the method refuses. Never a stack trace, never HTML.
 */
import type { ErrorRequestHandler, RequestHandler } from 'express';
import { isGrpcServiceError, ServiceError, WorkflowUpdateFailedError, WorkflowUpdateRPCTimeoutOrCancelledError } from '@temporalio/client';
import { ApplicationFailure, WorkflowNotFoundError } from '@temporalio/common';
import { z } from 'zod';
import { isLimitRule, LIMIT_RULES } from '../domain/limits';
import { MethodRefusal } from '../domain/refusal';
import type { Unmet } from '../domain/criteria';
import { METHOD_REFUSAL, type RefusalDetails } from '../workflows/messages';

export const ERROR_CODES = [
  'invalid_json',
  'validation_failed',
  'invalid_page_token',
  'invalid_encoding',
  'unsupported_media_type',
  'method_not_allowed',
  'too_many_requests',
  'idempotency_key_reused',
  'payload_too_large',
  'unauthenticated',
  'link_invalid',
  'link_other_household',
  'forbidden',
  'household_not_found',
  'plan_version_not_found',
  'route_not_found',
  'method_refusal',
  'limit_reached',
  'text_too_long',
  'household_closed',
  'intake_conflict',
  'temporal_unavailable',
  'audit_unavailable',
  'household_unavailable',
  'internal',
] as const;
export type ErrorCode = (typeof ERROR_CODES)[number];

export interface FieldIssue {
  path: string;
  message: string;
}

export interface ErrorBody {
  error: {
    code: ErrorCode;
    message: string;
    rule?: string;
    unmet?: Unmet[];
    fields?: FieldIssue[];
    /** A repeated intake whose members differ (409 intake_conflict), by member ref. */
    differences?: { ref: string; change: string }[];
  };
}

/** The error body as a zod schema, for the OpenAPI document. */
export const ErrorBodySchema = z
  .object({
    error: z.object({
      code: z.enum(ERROR_CODES).meta({ description: 'Stable code for programs.' }),
      message: z.string().meta({ description: 'Dutch explanation for people.' }),
      rule: z.string().optional().meta({
        description: "The R-rule of ROUTEKAART.md that refuses the command (409), or the household's limit ('limiet:…', 409 or 422).",
      }),
      unmet: z
        .array(z.object({ rule: z.string(), message: z.string() }))
        .optional()
        .meta({ description: 'Unmet criteria by rule id (409).' }),
      fields: z
        .array(z.object({ path: z.string(), message: z.string() }))
        .optional()
        .meta({ description: "Invalid fields (400); the path starts with 'body', 'query', 'params' or 'headers'." }),
      differences: z
        .array(z.object({ ref: z.string(), change: z.string() }))
        .optional()
        .meta({ description: 'Members that differ from the existing household, by ref (409 intake_conflict).' }),
    }),
  })
  .meta({ id: 'Error' });

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: ErrorCode,
    message: string,
    readonly extra: Omit<ErrorBody['error'], 'code' | 'message'> = {},
  ) {
    super(message);
    this.name = 'ApiError';
  }

  body(): ErrorBody {
    return { error: { code: this.code, message: this.message, ...this.extra } };
  }
}

export const unauthenticated = () =>
  new ApiError(401, 'unauthenticated', "Geen geldige API-sleutel. Stuur de header 'Authorization: Bearer <sleutel>'.");
export const householdNotFound = () => new ApiError(404, 'household_not_found', 'Dit huishouden bestaat niet.');
/** R-64: for a caller whose organisation is not involved, the household does not exist (no confirming that it does). */
export const notInvolved = householdNotFound;

/**
 * The R-rule refusal of the domain as a 409; a refusal for the limits of a household (rule
 * 'limiet:…', domain/limits.ts) says so in its code. The workflow's R-64 refusal (organisation
 * not involved) is a 404, so that it does not confirm the household exists.
 */
export function refusal(rule: string, message: string, unmet: Unmet[] = []): ApiError {
  if (rule === 'R-64') return notInvolved();
  if (isLimitRule(rule)) return new ApiError(409, 'limit_reached', message, { rule });
  return new ApiError(409, 'method_refusal', message, { rule, unmet });
}

export function fromMethodRefusal(err: MethodRefusal): ApiError {
  return refusal(err.rule, err.message, err.unmet);
}

/** Zod issues as field paths prefixed with where they came from (body, query, params). */
export function fieldIssues(where: 'body' | 'query' | 'params' | 'headers', error: z.ZodError): FieldIssue[] {
  return error.issues.map((i) => ({ path: [where, ...i.path.map(String)].join('.'), message: i.message }));
}

/** A text longer than its limit (domain/limits.ts): the request is understood, the household's limit refuses it. */
export function textTooLong(fields: FieldIssue[]): ApiError {
  return new ApiError(
    422,
    'text_too_long',
    `Tekst te lang (${fields.map((f) => f.path).join(', ')}): ${fields.map((f) => f.message).join(' ')} Kort de tekst in.`,
    { rule: LIMIT_RULES.textLength, fields },
  );
}

export function validationFailed(fields: FieldIssue[]): ApiError {
  return new ApiError(400, 'validation_failed', `Ongeldige invoer: ${fields.map((f) => f.path).join(', ')}.`, { fields });
}

function grpcCode(err: unknown): number | undefined {
  for (let e: unknown = err, depth = 0; e && depth < 5; e = (e as { cause?: unknown }).cause, depth++) {
    if (isGrpcServiceError(e)) return e.code;
  }
  return undefined;
}

const UNAVAILABLE = 14;
const DEADLINE_EXCEEDED = 4;
const NOT_FOUND = 5;

/**
 * Translates what the Temporal client throws. `update` says the call was a command: a
 * WorkflowNotFoundError then says the household takes no updates, which for a household the caller
 * can read means it has closed (the command route checks that, R-64, before it says so).
 */
export function fromTemporal(err: unknown, update = false): ApiError | undefined {
  if (err instanceof WorkflowUpdateFailedError) {
    const cause = err.cause;
    if (cause instanceof ApplicationFailure && cause.type === METHOD_REFUSAL) {
      const details = cause.details?.[0] as RefusalDetails | undefined;
      return refusal(details?.rule ?? 'onbekend', cause.message, details?.unmet ?? []);
    }
    return undefined;
  }
  if (err instanceof WorkflowNotFoundError || grpcCode(err) === NOT_FOUND) {
    return update
      ? new ApiError(409, 'household_closed', 'Dit traject is afgesloten; er kan niets meer worden vastgelegd.', { rule: 'R-50' })
      : householdNotFound();
  }
  const code = grpcCode(err);
  if (err instanceof WorkflowUpdateRPCTimeoutOrCancelledError || code === DEADLINE_EXCEEDED) {
    const message = 'Temporal is niet bereikbaar of antwoordde niet op tijd.';
    return new ApiError(
      503,
      'temporal_unavailable',
      update
        ? `${message} De opdracht is mogelijk toch verwerkt: lees het huishouden opnieuw, of herhaal met dezelfde Idempotency-Key.`
        : `${message} Probeer het later opnieuw.`,
    );
  }
  if (code === UNAVAILABLE || (err instanceof ServiceError && code === undefined)) {
    return new ApiError(503, 'temporal_unavailable', 'Temporal is niet bereikbaar. Probeer het later opnieuw.');
  }
  return undefined;
}

/** Express's body parser errors carry a `type`; they are client errors, not server faults. */
function fromBodyParser(err: unknown): ApiError | undefined {
  const e = (err ?? {}) as { type?: unknown; status?: unknown; code?: unknown };
  if (e.type === 'entity.parse.failed') return new ApiError(400, 'invalid_json', 'De body is geen geldige JSON.');
  if (e.type === 'entity.too.large') return new ApiError(413, 'payload_too_large', 'De body is te groot.');
  if (e.type === 'encoding.unsupported')
    return new ApiError(415, 'unsupported_media_type', 'Deze Content-Encoding wordt niet gelezen; stuur gzip, deflate, br of niets.');
  if (e.type === 'charset.unsupported')
    return new ApiError(415, 'unsupported_media_type', 'Deze tekenset wordt niet ondersteund; stuur UTF-8.');
  // A body that does not decompress (corrupt gzip, deflate or br): the client's fault, not ours.
  if (
    (typeof e.code === 'string' && e.code.startsWith('Z_')) ||
    e.code === 'ERR__ERROR_FORMAT_PADDING_1' ||
    (typeof e.code === 'string' && e.code.startsWith('ERR_BROTLI'))
  )
    return new ApiError(400, 'invalid_encoding', 'De body kon niet worden gedecodeerd volgens de Content-Encoding.');
  if (typeof e.type === 'string' && typeof e.status === 'number' && e.status >= 400 && e.status < 500)
    return new ApiError(400, 'invalid_json', 'De body kon niet worden gelezen.');
  return undefined;
}

export function toApiError(err: unknown): ApiError {
  if (err instanceof ApiError) return err;
  if (err instanceof MethodRefusal) return fromMethodRefusal(err);
  if (err instanceof z.ZodError) return validationFailed(fieldIssues('body', err));
  return (
    fromBodyParser(err) ?? fromTemporal(err) ?? new ApiError(500, 'internal', 'Er ging iets mis aan onze kant. Probeer het later opnieuw.')
  );
}

/** The only error handler: JSON always, and for 500s a log line without household content. */
export const errorHandler: ErrorRequestHandler = (err, req, res, next) => {
  const apiError = toApiError(err);
  if (apiError.status >= 500 && apiError.code === 'internal') {
    // Only the error's class and type: a message may quote household content (AVG).
    const e = err as { name?: string; type?: string; cause?: { name?: string; type?: string } };
    console.error(
      `[api] ${req.method} ${req.route?.path ?? 'onbekende route'}: ${e?.name ?? typeof err}${e?.type ? ` (${e.type})` : ''}${e?.cause ? ` cause ${e.cause.name}${e.cause.type ? ` (${e.cause.type})` : ''}` : ''}`,
    );
  }
  if (res.headersSent) return next(err);
  res.status(apiError.status).json(apiError.body());
};

export const routeNotFound: RequestHandler = (req, _res, next) => {
  next(new ApiError(404, 'route_not_found', `Onbekende route: ${req.method} ${req.path}.`));
};
