// A test helper run as a child process: imports a file and, once `killAfter` rows have been
// written, kills its own process with SIGKILL, as a crash or an operator's kill -9 would
// (no cleanup, no rollback by us, the transaction left open). Used by crash.test.ts.
//   node crash-child.ts <registry> <file> <atomic|resumable> <killAfter>
import { openServices } from '../../../app.ts';
import { loadConfig } from '../../../config.ts';
import { localOperator } from '../../../platform/actor.ts';
import { hashFile } from './files.ts';
import type { ImportFormat } from './read.ts';

const [registry, file, mode, killAfter] = process.argv.slice(2);
const services = await openServices(loadConfig());
const imports = services.registries.imports;
const begun = await imports.begin(localOperator('crash-test'), registry, await hashFile(file), { format: file.split('.').pop() as ImportFormat, fileName: 'crash.csv', reason: 'crash test', mode: mode as 'atomic' | 'resumable' });
process.stdout.write(`import ${begun.view!.id}\n`);
await begun.run({
  afterBatch: (written) => {
    process.stdout.write(`written ${written}\n`);
    if (written >= Number(killAfter)) process.kill(process.pid, 'SIGKILL');
  },
});
process.stdout.write('finished without being killed\n');
process.exit(3);
