// The gate and the two screens over HTTP, pure and with the CLI's shapes: a contact request in,
// a decision out; one text item `{id?, text, lang?}` in (the CLI's JSONL line), one answer out.
// Each route declares the permission the auth plugin checks: compliance.decide, screen.use.
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Deps } from '../../deps.js';
import { REASON_CODES } from '../../domain/compliance/index.js';
import { CONTENT_CATEGORIES } from '../../domain/compliance/screen/index.js';
import {
  assessItem,
  checkContactRequest,
  parseTextItem,
  presetOr,
  screenItem,
  textItemSchema,
  type LineError,
  type TextItem,
} from '../../services/compliance/check.service.js';
import { contactRequestSchema } from '../../services/compliance/contact-request.schema.js';
import { lenderPolicy } from '../../services/compliance/lender-policy.js';
import { AppError } from '../../services/errors.js';
import { ErrorResponse } from '../schemas.js';

const Finding = z.object({
  category: z.enum(CONTENT_CATEGORIES),
  span: z.string().meta({ description: 'the matched text, exactly text.slice(start, end)' }),
  start: z.number().int().meta({ description: 'UTF-16 code unit offset into the text' }),
  end: z.number().int().meta({ description: 'exclusive' }),
  suggestion: z.string().meta({ description: 'a kinder, lawful wording' }),
});

const Decision = z.object({
    allowed: z.boolean(),
    reasons: z.array(
      z.object({
        code: z.enum(REASON_CODES),
        rule: z.string().meta({ description: '<preset or floor>.<rule name>, e.g. cn.hours' }),
        message: z.string().meta({ description: '中文 / English' }),
        findings: z.array(Finding).readonly().optional().meta({ description: 'only on PROHIBITED_CONTENT' }),
      }),
    ).readonly(),
    nextAllowedAt: z
      .string()
      .nullable()
      .meta({ description: 'the earliest instant the same request would pass the hours and frequency rules; null when allowed now or blocked whatever the time' }),
  });

const Id = z.union([z.string(), z.number()]).nullable();

const ScreenAnswer = z.object({ id: Id, findings: z.array(Finding) });

const WellbeingAnswer = z.object({
  id: Id,
  level: z.enum(['none', 'concern', 'crisis']),
  signals: z.array(
    z.object({
      code: z.string(),
      level: z.enum(['concern', 'crisis']),
      span: z.string(),
      start: z.number().int(),
      end: z.number().int(),
    }),
  ),
});

const errors = { 400: ErrorResponse, 401: ErrorResponse, 403: ErrorResponse, 503: ErrorResponse };

function invalid(e: LineError): AppError {
  return new AppError('validation', e.code, e.message, [{ field: e.field, message: e.message }]);
}

/** The body as a text item; refused naming the field, exactly as a CLI line would be. */
function textItem(body: unknown): TextItem {
  const r = parseTextItem(body);
  if (!r.ok) throw invalid(r.error);
  return r.value;
}

export function complianceRoutes(deps: Deps): FastifyPluginAsyncZod {
  // A request naming a bare preset is decided under it; one naming none, under the lender's policy.
  const policyFor = presetOr(() => lenderPolicy(deps.config.policy));

  return async (app) => {
    app.post(
      '/compliance/decide',
      {
        config: { permission: 'compliance.decide' },
        // The gate's own parser names the offending field (e.g. borrower.nickname), so a body the
        // schema refuses is handed to it rather than to the generic validation answer. The same
        // for the text items below: an HTTP error names the field a CLI error line would.
        attachValidation: true,
        schema: {
          tags: ['compliance'],
          summary: 'Decide a contact request (pure: on the history it carries; nothing is stored)',
          description:
            'The contact request and decision of COMPLIANCE.md. `policy` names a bare preset (cn, us, uk); without it the lender\'s policy (CLEMENT_POLICY) applies. Same shapes as `clement compliance check`.',
          body: contactRequestSchema,
          response: { 200: Decision, ...errors },
        },
      },
      async (req) => {
        const r = checkContactRequest(req.body, policyFor);
        if (!r.ok) throw invalid(r.error);
        return r.value;
      },
    );

    app.post(
      '/screen',
      {
        config: { permission: 'screen.use' },
        attachValidation: true,
        schema: {
          tags: ['compliance'],
          summary: 'Screen one text for prohibited content',
          description: 'One text item, the line of `clement screen --jsonl`: `{id?, text, lang?}` → `{id, findings}`. `lang` zh or en; anything else means detect.',
          body: textItemSchema,
          response: { 200: ScreenAnswer, 400: ErrorResponse, 401: ErrorResponse, 403: ErrorResponse },
        },
      },
      async (req) => screenItem(textItem(req.body)),
    );

    app.post(
      '/wellbeing',
      {
        config: { permission: 'screen.use' },
        attachValidation: true,
        schema: {
          tags: ['compliance'],
          summary: "Assess one borrower's text for distress",
          description: 'One text item, the line of `clement wellbeing --jsonl`: `{id?, text, lang?}` → `{id, level, signals}`.',
          body: textItemSchema,
          response: { 200: WellbeingAnswer, 400: ErrorResponse, 401: ErrorResponse, 403: ErrorResponse },
        },
      },
      async (req) => assessItem(textItem(req.body)),
    );
  };
}
