// Prints each unhandled error of the run once more, briefly, after the summary: a CI log is often read from its tail,
// and the default reporter shows these errors far above it.
import type { Reporter } from 'vitest/node';

interface Serialized { name?: string; message?: string; stack?: string; type?: string; VITEST_TEST_PATH?: string; VITEST_TEST_NAME?: string; code?: string }

export default class UnhandledErrorsReporter implements Reporter {
  onTestRunEnd(_modules: unknown, errors: ReadonlyArray<unknown>): void {
    if (!errors.length) return;
    const lines = [`\n${errors.length} unhandled error(s), in brief:`];
    for (const raw of errors) {
      const e = raw as Serialized;
      const frames = (e.stack ?? '').split('\n').filter((l) => l.trim().startsWith('at ')).slice(0, 4).map((l) => `    ${l.trim()}`);
      lines.push(`- ${e.type ?? 'error'} ${e.name ?? 'Error'}${e.code ? ` [${e.code}]` : ''}: ${(e.message ?? '').slice(0, 300)}`,
        `    file: ${e.VITEST_TEST_PATH ?? '?'}${e.VITEST_TEST_NAME ? `, test: ${e.VITEST_TEST_NAME}` : ''}`, ...frames);
    }
    process.stdout.write(`${lines.join('\n')}\n`);
  }
}
