import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

/** A real local Git repository the demo commits to, served to Slipway as a file:// URL. */
export class DemoRepo {
  readonly dir: string;

  private constructor(dir: string) {
    this.dir = dir;
  }

  static create(): DemoRepo {
    const dir = mkdtempSync(join(tmpdir(), 'slipway-demo-repo-'));
    const repo = new DemoRepo(dir);
    repo.git('init', '-q', '-b', 'main');
    repo.git('config', 'user.email', 'demo@slipway.dev');
    repo.git('config', 'user.name', 'Slipway Demo');
    return repo;
  }

  get url(): string {
    return `file://${this.dir}`;
  }

  /** Writes files (path → content) and commits them; returns the commit SHA. */
  commit(message: string, files: Readonly<Record<string, string>>): string {
    for (const [path, content] of Object.entries(files)) {
      const full = join(this.dir, path);
      mkdirSync(dirname(full), { recursive: true });
      writeFileSync(full, content);
    }
    this.git('add', '-A');
    this.git('commit', '-q', '-m', message);
    return this.git('rev-parse', 'HEAD').trim();
  }

  remove(): void {
    rmSync(this.dir, { recursive: true, force: true });
  }

  private git(...args: string[]): string {
    return execFileSync('git', args, { cwd: this.dir, encoding: 'utf8' });
  }
}
