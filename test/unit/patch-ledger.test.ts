// The patch ledger: every patch id that workflow code passes to patched() or deprecatePatch() is in the ledger module
// and in docs/versioning.md, and the ledger lists nothing the code has stopped using.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as patches from '../../src/workflows/patches';

const root = join(__dirname, '..', '..');
const workflowsDir = join(root, 'src', 'workflows');

function patchIdsInCode(): string[] {
  const constants = new Map<string, string>();
  for (const [name, value] of Object.entries(patches)) if (typeof value === 'string') constants.set(name, value);
  const used = new Set<string>();
  for (const file of readdirSync(workflowsDir).filter((name) => name.endsWith('.ts'))) {
    const source = readFileSync(join(workflowsDir, file), 'utf8');
    for (const match of source.matchAll(/\b(?:patched|deprecatePatch)\(\s*([A-Z_]+|'[^']+')\s*\)/g)) {
      const argument = match[1]!;
      const id = argument.startsWith("'") ? argument.slice(1, -1) : constants.get(argument);
      if (id === undefined) throw new Error(`${file}: ${argument} is not a patch id of src/workflows/patches.ts`);
      used.add(id);
    }
  }
  return [...used].sort();
}

describe('the patch ledger', () => {
  const ledger = patches.PATCH_LEDGER.map((entry) => entry.id).sort();

  it('lists exactly the patch ids the workflows use', () => {
    expect(patchIdsInCode()).toEqual(ledger);
  });

  it('is documented, with its stage, in docs/versioning.md', () => {
    const doc = readFileSync(join(root, 'docs', 'versioning.md'), 'utf8');
    for (const entry of patches.PATCH_LEDGER) expect(doc).toContain(`| \`${entry.id}\` | \`${entry.workflow}\` | ${entry.stage} |`);
  });
});
