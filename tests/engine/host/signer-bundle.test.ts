/**
 * The IAM signers' split (host/signer-bundle.ts): what every environment shares reads nothing an
 * environment owns, and each signer's own text carries none of the shared code.
 */
import { describe, expect, it } from 'vitest';
import { bundlePg } from '../../../src/engine/host/host.node.ts';
import { SIGNER_PACKAGES } from '../../../src/engine/host/host.ts';
import { MODULE_GLOBALS } from '../../../src/engine/lambda/environment.ts';

describe('the IAM signer bundles', () => {
  it('share code that names no environment global, and leave it out of each signer', async () => {
    const { signers } = await bundlePg();
    // A newer SDK whose shared functions read the clock or process.env fails here, before a token is signed with the wrong environment's.
    expect(MODULE_GLOBALS.filter((name) => new RegExp(`\\b${name}\\b`).test(signers.shared))).toEqual([]);
    expect(signers.shared).toContain('Sha256Js');
    for (const pkg of SIGNER_PACKAGES) {
      const own = signers.modules[pkg];
      expect(own).toContain(`node_modules/${pkg}/`);
      // signature-v4 dates the token with `new Date()`: it stays with the environment.
      expect(own).toContain('node_modules/@smithy/signature-v4/');
      expect(own).not.toContain('node_modules/@smithy/core/');
      expect(own).not.toContain('node_modules/@aws-sdk/core/');
    }
  }, 60_000);
});
