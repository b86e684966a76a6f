/**
 * Manifests as `slipway lint` reads them: every YAML document of every input, numbered from 1 within
 * its source, a `List` flattened into its items (they keep the list's number). A document that does
 * not parse is a problem of that document, not the end of the run. Pure: the caller reads the files.
 */
import { parseAllDocuments } from 'yaml';

export interface LintDocument {
  /** Where it came from: a file path, or `<stdin>`. */
  readonly source: string;
  /** 1-based document number within the source. */
  readonly index: number;
  readonly object: Readonly<Record<string, unknown>>;
}

export interface LintProblem {
  readonly source: string;
  readonly index?: number;
  readonly kind?: string;
  readonly name?: string;
  readonly message: string;
  readonly severity: 'error' | 'warning';
}

/** Each document of a multi-document YAML (or JSON) text, and the ones that do not parse. */
export function parseLintDocuments(
  text: string,
  source: string,
): { readonly documents: LintDocument[]; readonly problems: LintProblem[] } {
  const documents: LintDocument[] = [];
  const problems: LintProblem[] = [];
  parseAllDocuments(text, { logLevel: 'error' }).forEach((doc, i) => {
    const index = i + 1;
    const [error] = doc.errors;
    if (error !== undefined) {
      problems.push({
        source,
        index,
        message: `invalid YAML: ${error.message.split('\n')[0]}`,
        severity: 'error',
      });
      return;
    }
    let value: unknown;
    try {
      value = doc.toJS({ maxAliasCount: 100 });
    } catch (err) {
      problems.push({ source, index, message: `invalid YAML: ${(err as Error).message}`, severity: 'error' });
      return;
    }
    if (value === null || value === undefined) return;
    if (typeof value !== 'object' || Array.isArray(value)) {
      problems.push({ source, index, message: 'the document is not an object', severity: 'error' });
      return;
    }
    const obj = value as Record<string, unknown>;
    const items = obj.items;
    if (typeof obj.kind === 'string' && obj.kind.endsWith('List') && Array.isArray(items)) {
      for (const item of items)
        if (item !== null && typeof item === 'object' && !Array.isArray(item))
          documents.push({ source, index, object: item as Record<string, unknown> });
      return;
    }
    documents.push({ source, index, object: obj });
  });
  return { documents, problems };
}

/** `file:doc kind/name: message`; warnings say so. */
export function formatLintProblem(p: LintProblem): string {
  const at = p.index === undefined ? p.source : `${p.source}:${p.index}`;
  const what = p.kind === undefined ? '' : ` ${p.kind}/${p.name ?? ''}`;
  const severity = p.severity === 'warning' ? 'warning: ' : '';
  return `${at}${what}: ${severity}${p.message}`;
}
