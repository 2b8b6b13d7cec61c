import { type ArgWord, possibleValues } from './arg-word.js';
import type { RedirectionSummary } from './check-redirections.js';

/**
 * Programs that only read the files they name and print: naming a log file the script wrote does
 * not make its content flow into anything that runs or changes the worktree.
 */
const READERS = new Set([
  'cat',
  'head',
  'tail',
  'grep',
  'egrep',
  'fgrep',
  'rg',
  'wc',
  'ls',
  'stat',
  'diff',
  'cmp',
  'sort',
  'uniq',
  'md5sum',
  'sha1sum',
  'sha256sum',
  'sha512sum',
]);

/**
 * What one script wrote so far, for the write-then-execute check: whether it wrote content a
 * later command could run (`echo x > run.sh`, `sed -i`, `cp`), and the base names of inert log
 * files it wrote (`> build.log`, `tee test.log`), which count as content once a command other
 * than a plain reader takes them in.
 */
export class WrittenFiles {
  /** The script wrote content that a later command may run. */
  content = false;
  /** Base names of inert output files the script wrote; created with the first one. */
  private inert: string[] | undefined;

  /** Records an inert output file (`test.log`). */
  addInert(path: string): void {
    this.inert ??= [];
    this.inert.push(baseName(path));
  }

  /**
   * Records a command's redirection writes. Content written to a file counts unless the command
   * itself runs worktree code (its output is not content the script chose).
   */
  recordRedirections(summary: RedirectionSummary, executes: boolean): void {
    if (summary.writesFile && !executes) this.content = true;
    const inert = summary.inertWrites;
    if (inert) for (const path of inert) this.addInert(path);
  }

  /** A command other than a plain reader that takes a written log file on stdin consumes it. */
  noteInputFiles(inputs: readonly string[] | undefined, program: string | undefined): void {
    const written = this.inert;
    if (!inputs || !written || (program !== undefined && READERS.has(program))) return;
    if (inputs.some((path) => written.includes(baseName(path)))) this.content = true;
  }

  /** A command other than a plain reader that may name a written log file consumes it. */
  noteArguments(argv: readonly ArgWord[]): void {
    if (this.inert !== undefined && !READERS.has(argv[0]!.value) && this.namesInert(argv))
      this.content = true;
  }

  /** Whether an argument may name an inert file the script wrote (unknown words may). */
  private namesInert(argv: readonly ArgWord[]): boolean {
    const written = this.inert!;
    for (let index = 1; index < argv.length; index++) {
      const word = argv[index]!;
      if (word.glob || word.fromInput) return true;
      const values = possibleValues(word);
      if (!values) return true;
      for (const value of values) {
        // `--file=test.log` names it too.
        const equals = value.indexOf('=');
        if (
          written.includes(baseName(value)) ||
          (equals !== -1 && written.includes(baseName(value.slice(equals + 1))))
        ) {
          return true;
        }
      }
    }
    return false;
  }
}

/** The last segment of a path (`src/x.log` gives `x.log`). */
function baseName(path: string): string {
  let end = path.length;
  while (end > 1 && path.charCodeAt(end - 1) === 47) end--;
  return path.slice(path.lastIndexOf('/', end - 1) + 1, end);
}
