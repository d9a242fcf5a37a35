/** The process around main(): real streams and the in-process Node engine. */
import { createNodeEngine } from '../../workers/engine.node.ts';
import { main } from './main';

export async function cliMain(argv: string[]): Promise<number> {
  const code = await main(argv, { stdout: process.stdout, stderr: process.stderr, cwd: process.cwd() }, () =>
    createNodeEngine(),
  );
  // Flushed before the caller exits the process.
  await new Promise<void>((resolve) => process.stdout.write('', () => resolve()));
  await new Promise<void>((resolve) => process.stderr.write('', () => resolve()));
  return code;
}
