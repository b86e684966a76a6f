import { execFileSync } from 'node:child_process';
import { pathToFileURL } from 'node:url';

/** Turns `dir` into a git repository with everything in it committed on `main`; returns its file:// URL. */
export function commitDirectory(dir: string, message: string): string {
  const git = (...args: string[]) =>
    execFileSync('git', args, {
      cwd: dir,
      env: {
        ...process.env,
        GIT_AUTHOR_NAME: 'b',
        GIT_AUTHOR_EMAIL: 'b@b',
        GIT_COMMITTER_NAME: 'b',
        GIT_COMMITTER_EMAIL: 'b@b',
      },
    });
  git('init', '--quiet', '--initial-branch=main');
  git('add', '-A');
  git('commit', '--quiet', '-m', message);
  return pathToFileURL(dir).href;
}
