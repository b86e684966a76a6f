/** Progress output for the demo: numbered chapters, indented details, Slack messages set apart. */
export class Narrator {
  private chapter = 0;
  private readonly started = Date.now();
  private readonly color: boolean;

  constructor(color = process.stdout.isTTY === true && process.env.NO_COLOR === undefined) {
    this.color = color;
  }

  heading(text: string): void {
    this.chapter += 1;
    this.out(`\n${this.paint('1', `${this.chapter}. ${text}`)}  ${this.paint('2', `(+${this.elapsed()})`)}`);
  }

  info(text: string): void {
    this.out(`   ${text}`);
  }

  ok(text: string): void {
    this.out(`   ${this.paint('32', '✓')} ${text}`);
  }

  warn(text: string): void {
    this.out(`   ${this.paint('33', '!')} ${text}`);
  }

  slack(line: string): void {
    this.out(`   ${this.paint('35', 'slack')} ${line}`);
  }

  elapsed(): string {
    return `${((Date.now() - this.started) / 1000).toFixed(0)}s`;
  }

  private paint(code: string, text: string): string {
    return this.color ? `\u001b[${code}m${text}\u001b[0m` : text;
  }

  private out(line: string): void {
    process.stdout.write(`${line}\n`);
  }
}
