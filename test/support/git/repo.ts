import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';

/** A real git repository on disk that a test commits to; Applications use its file:// URL. */
export class TestRepo {
  readonly dir: string;
  readonly url: string;

  private constructor(dir: string) {
    this.dir = dir;
    this.url = pathToFileURL(dir).href;
  }

  static create(files: Readonly<Record<string, string>> = {}, fromDir?: string): TestRepo {
    const root = mkdtempSync(join(tmpdir(), 'slipway-test-repo-'));
    const dir = join(root, 'repo');
    mkdirSync(dir);
    const repo = new TestRepo(dir);
    repo.git('init', '--quiet', '--initial-branch=main');
    if (fromDir) cpSync(fromDir, dir, { recursive: true });
    repo.write(files);
    repo.commit('initial layout');
    return repo;
  }

  git(...args: string[]): string {
    return execFileSync('git', args, {
      cwd: this.dir,
      encoding: 'utf8',
      env: {
        ...process.env,
        GIT_AUTHOR_NAME: 'test',
        GIT_AUTHOR_EMAIL: 'test@example.com',
        GIT_COMMITTER_NAME: 'test',
        GIT_COMMITTER_EMAIL: 'test@example.com',
        GIT_CONFIG_NOSYSTEM: '1',
      },
    });
  }

  write(files: Readonly<Record<string, string>>): void {
    for (const [path, text] of Object.entries(files)) {
      const full = join(this.dir, path);
      mkdirSync(dirname(full), { recursive: true });
      writeFileSync(full, text);
    }
  }

  remove(path: string): void {
    rmSync(join(this.dir, path), { recursive: true, force: true });
  }

  /** Commits everything; returns the new HEAD SHA. */
  commit(message: string): string {
    this.git('add', '-A');
    this.git('commit', '--quiet', '--allow-empty', '-m', message);
    return this.head();
  }

  head(): string {
    return this.git('rev-parse', 'HEAD').trim();
  }

  dispose(): void {
    rmSync(dirname(this.dir), { recursive: true, force: true });
  }
}
