import { parse } from '../../gotemplate/index.js';
import type { TemplateData } from './update-result.js';

/** image-automation-controller's message when `messageTemplate` is empty. */
export const DEFAULT_MESSAGE_TEMPLATE = 'Update from image update automation';

/** Largest commit message a template may produce. */
const MAX_MESSAGE_BYTES = 256 * 1024;
/** Evaluation steps one message may take. */
const MAX_STEPS = 200_000;

/**
 * sprig's non-hermetic functions, which Flux leaves out of the commit message template (its result
 * must not depend on where or when it runs); our engine has them built in, so they fail when called.
 */
const NON_HERMETIC = [
  'date',
  'date_in_zone',
  'date_modify',
  'now',
  'htmlDate',
  'htmlDateInZone',
  'dateInZone',
  'dateModify',
  'randAlphaNum',
  'randAlpha',
  'randAscii',
  'randNumeric',
  'randBytes',
  'uuidv4',
  'env',
  'expandenv',
  'getHostByName',
] as const;

const hermeticFuncs: Readonly<Record<string, () => never>> = Object.fromEntries(
  NON_HERMETIC.map((name) => [
    name,
    () => {
      throw new Error(`function "${name}" not defined`);
    },
  ]),
);

const DOCS = 'See: https://fluxcd.io/flux/components/image/imageupdateautomations/#message-template';

/** Fields image-automation-controller v1 removed, with the message it stalls on when a template uses one. */
const REMOVED_FIELDS: readonly { readonly pattern: RegExp; readonly message: string }[] = [
  {
    pattern: /can't evaluate field Updated in type TemplateData/,
    message: `template uses removed '.Updated' field. Please use '.Changed' instead. ${DOCS}`,
  },
  {
    pattern: /can't evaluate field ImageResult in type UpdateResult/,
    message: `template uses removed '.Changed.ImageResult' field. Please use '.Changed.FileChanges' or '.Changed.Objects' instead. ${DOCS}`,
  },
];

/** A rendered message, or why there is none (`removedField`: Flux stalls instead of retrying). */
export type CommitMessage =
  | { readonly kind: 'ok'; readonly message: string }
  | { readonly kind: 'error'; readonly message: string; readonly removedField: boolean };

/**
 * Renders the commit message as image-automation-controller does (template name `commit message`,
 * the default message when the template is empty, Flux's error texts), with bounded output and
 * steps. Pure.
 */
export function renderCommitMessage(template: string | undefined, data: TemplateData): CommitMessage {
  const text = template || DEFAULT_MESSAGE_TEMPLATE;
  let compiled: ReturnType<typeof parse>;
  try {
    compiled = parse('commit message', text, {
      funcs: hermeticFuncs,
      maxOutputBytes: MAX_MESSAGE_BYTES,
      maxSteps: MAX_STEPS,
    });
  } catch (err) {
    const why = err instanceof Error ? err.message : String(err);
    return {
      kind: 'error',
      message: `unable to create commit message template from spec: ${why}`,
      removedField: false,
    };
  }
  try {
    return { kind: 'ok', message: compiled.execute(data) };
  } catch (err) {
    const why = err instanceof Error ? err.message : String(err);
    const removed = REMOVED_FIELDS.find((f) => f.pattern.test(why));
    if (removed) return { kind: 'error', message: removed.message, removedField: true };
    return { kind: 'error', message: `failed to run template from spec: ${why}`, removedField: false };
  }
}
