import { isMap, isSeq, type Node, parseAllDocuments, type Scalar, visit } from 'yaml';
import { type ScalarStyle, scalarText } from './scalar-text.js';
import { markerSetter, SETTER_TOKEN, type SetterValue } from './setter-values.js';

/** The object a change was made in (kyaml's ResourceIdentifier: apiVersion, kind, name, namespace). */
export interface ObjectId {
  readonly apiVersion: string;
  readonly kind: string;
  readonly name: string;
  readonly namespace: string;
}

/** One field a setter changed. */
export interface SetterChange {
  readonly object: ObjectId;
  readonly setter: string;
  readonly oldValue: string;
  readonly newValue: string;
}

/** A file's new text and what changed in it; `text` is undefined when nothing did. */
export interface FileUpdate {
  readonly text: string | undefined;
  readonly changes: readonly SetterChange[];
  /** The file held the marker token but is not YAML (Flux's "problem files"): left untouched. */
  readonly unparsable?: boolean;
}

/** Files the Setters strategy reads: `.yaml`, `.yml`, and kustomize's `Kustomization`. */
export function isSetterCandidate(fileName: string): boolean {
  return /\.ya?ml$/.test(fileName) || fileName === 'Kustomization';
}

function str(v: unknown): string {
  return typeof v === 'string' ? v : '';
}

function objectIdOf(contents: unknown): ObjectId | undefined {
  if (!isMap(contents)) return undefined;
  const top = contents.toJSON() as Record<string, unknown> | null;
  const meta = (top?.metadata ?? {}) as Record<string, unknown>;
  return {
    apiVersion: str(top?.apiVersion),
    kind: str(top?.kind),
    name: str(meta.name),
    namespace: str(meta.namespace),
  };
}

interface Edit {
  readonly start: number;
  readonly end: number;
  readonly text: string;
}

/** The comment written after a scalar on its own line (`value # comment`), if any. */
function lineComment(text: string, valueEnd: number): string | undefined {
  const nl = text.indexOf('\n', valueEnd);
  const rest = text.slice(valueEnd, nl === -1 ? text.length : nl).replace(/\r$/, '');
  const m = /^[ \t]+#(.*)$/.exec(rest);
  return m ? `#${m[1]}` : undefined;
}

function styleOf(node: Scalar): ScalarStyle | undefined {
  const t = node.type;
  return t === 'PLAIN' || t === 'QUOTE_SINGLE' || t === 'QUOTE_DOUBLE' ? t : undefined;
}

/**
 * Applies image policy setters to one file's text, as Flux's Setters strategy does, but edits only
 * the marked scalars' own characters: every other byte (comments, indentation, key order, quoting
 * elsewhere) stays as it was. A scalar is marked by a comment on its line (`image: app:1.0 #
 * {"$imagepolicy": "ns:policy"}`), or by a one-line comment above it when it is a sequence item.
 * Setters not in `setters` (unknown or not-ready policies) are ignored. Files without the
 * `"$imagepolicy"` token are not parsed. Pure.
 */
export function applySettersToText(text: string, setters: ReadonlyMap<string, SetterValue>): FileUpdate {
  if (!text.includes(SETTER_TOKEN)) return { text: undefined, changes: [] };
  const docs = parseAllDocuments(text, { keepSourceTokens: false, prettyErrors: false });
  const list = Array.isArray(docs) ? docs : [docs];
  if (list.some((d) => d.errors.length > 0)) return { text: undefined, changes: [], unparsable: true };
  const edits: Edit[] = [];
  const changes: SetterChange[] = [];
  for (const doc of list) {
    const object = objectIdOf(doc.contents);
    visit(doc, {
      Scalar(key, node, path) {
        if (key === 'key' || !node.range) return;
        const style = styleOf(node);
        if (!style) return;
        const parent = path[path.length - 1] as Node | undefined;
        const inSeq = isSeq(parent);
        const comment =
          lineComment(text, node.range[1]) ??
          (inSeq && node.commentBefore && !node.commentBefore.includes('\n')
            ? `#${node.commentBefore}`
            : undefined);
        const setter = comment !== undefined ? markerSetter(comment) : undefined;
        const target = setter !== undefined ? setters.get(setter) : undefined;
        if (setter === undefined || target === undefined) return;
        const source = text.slice(node.range[0], node.range[1]);
        const oldValue = typeof node.value === 'string' ? node.value : source;
        if (oldValue === target.value) return;
        const inFlow = path.some((p) => (isMap(p) || isSeq(p)) && p.flow === true);
        edits.push({
          start: node.range[0],
          end: node.range[1],
          text: scalarText(target.value, style, inFlow),
        });
        // kyaml records a change only for objects it can read metadata from (mapping documents)
        if (object) changes.push({ object, setter, oldValue, newValue: target.value });
      },
    });
  }
  if (edits.length === 0) return { text: undefined, changes: [] };
  let out = '';
  let at = 0;
  for (const e of edits.sort((a, b) => a.start - b.start)) {
    out += text.slice(at, e.start) + e.text;
    at = e.end;
  }
  out += text.slice(at);
  return { text: out, changes };
}

/** A manifest file read from the update path (`path` relative to it, `/`-separated). */
export interface ManifestFile {
  readonly path: string;
  readonly text: string;
}

/** What applying the setters to a set of files did. */
export interface SettersOutcome {
  /** Files whose text changed, with the new text. */
  readonly writes: readonly ManifestFile[];
  /** Changes per file (only files with recorded changes), in path order. */
  readonly changes: ReadonlyMap<string, readonly SetterChange[]>;
  /** Files holding the marker token that are not YAML: left as they were. */
  readonly unparsable: readonly string[];
}

/** Applies the setters to every file (see {@link applySettersToText}). Pure. */
export function applySetters(
  files: readonly ManifestFile[],
  setters: ReadonlyMap<string, SetterValue>,
): SettersOutcome {
  const writes: ManifestFile[] = [];
  const changes = new Map<string, readonly SetterChange[]>();
  const unparsable: string[] = [];
  for (const f of [...files].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0))) {
    const u = applySettersToText(f.text, setters);
    if (u.unparsable) unparsable.push(f.path);
    if (u.text === undefined) continue;
    writes.push({ path: f.path, text: u.text });
    if (u.changes.length > 0) changes.set(f.path, u.changes);
  }
  return { writes, changes, unparsable };
}
