/**
 * Argo CD's default ApplicationSet templating (`goTemplate: false`): valyala/fasttemplate with
 * `{{` and `}}`, each tag trimmed of spaces and looked up among string parameters; an unknown tag
 * (or one whose value is not a string) is written back unchanged. Pure.
 */

/** Go's `.*{{.*}}.*`: `.` does not match a newline, so the tags must open and close on one line. */
const TEMPLATED = /\{\{[^\n]*\}\}/;

/** Thrown for an opening `{{` without a closing `}}` (fasttemplate's parse error). */
export class FastTemplateError extends Error {}

export function replaceFastTemplate(text: string, params: Readonly<Record<string, unknown>>): string {
  if (!TEMPLATED.test(text)) return text;
  const out: string[] = [];
  let rest = text;
  for (;;) {
    const start = rest.indexOf('{{');
    if (start < 0) {
      out.push(rest);
      break;
    }
    out.push(rest.slice(0, start));
    const afterStart = rest.slice(start + 2);
    const end = afterStart.indexOf('}}');
    if (end < 0) {
      throw new FastTemplateError(
        `invalid template: Cannot find end tag="}}" in the template=${JSON.stringify(text)} starting from ${JSON.stringify(afterStart)}`,
      );
    }
    const tag = afterStart.slice(0, end);
    const key = tag.trim();
    const value = params[key];
    out.push(key !== '' && typeof value === 'string' ? value : `{{${tag}}}`);
    rest = afterStart.slice(end + 2);
  }
  return out.join('');
}
