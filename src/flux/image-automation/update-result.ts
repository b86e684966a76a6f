import type { ObjectId, SetterChange } from './setters.js';

/**
 * The values a commit message template sees, shaped like image-automation-controller's Go types so
 * that Flux templates work unchanged (`{{ range $file, $objects := .Changed.FileChanges }}`,
 * `{{ range $obj, $changes := .Changed.Objects }}{{ $obj.Kind }}`, `{{ .Changed.Changes }}`).
 * Class instances are structs to the template engine; maps keyed by objects are JS Maps ordered as
 * Go's template range orders struct keys (field by field).
 */

/** kyaml's ResourceIdentifier, as the template reads it (`.APIVersion`, `.Kind`, `.Name`, `.Namespace`). */
export class ObjectIdentifier {
  constructor(
    readonly APIVersion: string,
    readonly Kind: string,
    readonly Name: string,
    readonly Namespace: string,
  ) {}

  get key(): string {
    return JSON.stringify([this.APIVersion, this.Kind, this.Name, this.Namespace]);
  }
}

/** update.Change: the setter that made a change, the old and the new value. */
export class Change {
  constructor(
    readonly OldValue: string,
    readonly NewValue: string,
    readonly Setter: string,
  ) {}
}

/** types.NamespacedName; prints as `namespace/name`. */
export class NamespacedName {
  constructor(
    readonly Namespace: string,
    readonly Name: string,
  ) {}

  String(): string {
    return `${this.Namespace}/${this.Name}`;
  }
}

const compareIds = (a: ObjectIdentifier, b: ObjectIdentifier): number => {
  for (const f of ['APIVersion', 'Kind', 'Name', 'Namespace'] as const) {
    if (a[f] !== b[f]) return a[f] < b[f] ? -1 : 1;
  }
  return 0;
};

/** ObjectChanges: object → its changes, in Go's range order. */
function objectMap(entries: Iterable<readonly [ObjectIdentifier, readonly Change[]]>) {
  const byKey = new Map<string, { id: ObjectIdentifier; changes: Change[] }>();
  for (const [id, changes] of entries) {
    const e = byKey.get(id.key) ?? { id, changes: [] };
    e.changes.push(...changes);
    byKey.set(id.key, e);
  }
  const sorted = [...byKey.values()].sort((a, b) => compareIds(a.id, b.id));
  return new Map(sorted.map((e) => [e.id, e.changes] as const));
}

/** update.Result: file → object → changes, and the `Changes` and `Objects` views of it. */
export class UpdateResult {
  readonly FileChanges: Readonly<Record<string, Map<ObjectIdentifier, Change[]>>>;

  constructor(fileChanges: ReadonlyMap<string, readonly SetterChange[]>) {
    const files: Record<string, Map<ObjectIdentifier, Change[]>> = {};
    for (const [file, changes] of fileChanges) {
      if (changes.length === 0) continue;
      files[file] = objectMap(
        changes.map((c) => [idOf(c.object), [new Change(c.oldValue, c.newValue, c.setter)]] as const),
      );
    }
    this.FileChanges = files;
  }

  /** Every distinct change, whatever file it was made in. */
  Changes(): Change[] {
    const seen = new Set<string>();
    const out: Change[] = [];
    for (const file of Object.keys(this.FileChanges).sort()) {
      for (const changes of this.FileChanges[file]?.values() ?? []) {
        for (const c of changes) {
          const k = JSON.stringify([c.OldValue, c.NewValue, c.Setter]);
          if (seen.has(k)) continue;
          seen.add(k);
          out.push(c);
        }
      }
    }
    return out;
  }

  /** The changes per object, whatever file the object is in. */
  Objects(): Map<ObjectIdentifier, Change[]> {
    const all: [ObjectIdentifier, readonly Change[]][] = [];
    for (const file of Object.keys(this.FileChanges).sort())
      for (const e of this.FileChanges[file] ?? []) all.push(e);
    return objectMap(all);
  }
}

function idOf(o: ObjectId): ObjectIdentifier {
  return new ObjectIdentifier(o.apiVersion, o.kind, o.name, o.namespace);
}

/** source.TemplateData: `.AutomationObject`, `.Changed`, `.Values`. */
export class TemplateData {
  constructor(
    readonly AutomationObject: NamespacedName,
    readonly Changed: UpdateResult,
    readonly Values: Readonly<Record<string, string>>,
  ) {}
}
