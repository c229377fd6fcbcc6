/**
 * Lambda's service model from a botocore release that knows Managed Instances (CreateCapacityProvider,
 * CreateFunction's CapacityProviderConfig, PublishVersion's PublishTo): Debian's awscli 2.9 predates
 * them and would reject the Managed Instances deploy scripts' commands as unknown. pip downloads the
 * release from PyPI once into the dependency cache; the CLI reads the model through AWS_DATA_PATH,
 * which it searches before its own: only the API, waiter and paginator definitions, so endpoints and
 * every other service keep Debian's.
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { DEPENDENCY_CACHE } from '../projects.ts';

const run = promisify(execFile);

/** Any botocore since Lambda Managed Instances (December 2025) has them; this one is pinned. */
export const BOTOCORE_VERSION = '1.43.107';

const EXTRACT = `
import glob, gzip, os, shutil, sys, zipfile
wheel, target = glob.glob(os.path.join(sys.argv[1], "botocore-*.whl"))[0], sys.argv[2]
with zipfile.ZipFile(wheel) as archive:
    for name in archive.namelist():
        if os.path.dirname(name) != "botocore/data/lambda/2015-03-31" or not os.path.basename(name).startswith(("service-2.", "waiters-2.", "paginators-1.json")):
            continue
        out = os.path.join(target, "lambda", "2015-03-31", os.path.basename(name).removesuffix(".gz"))
        os.makedirs(os.path.dirname(out), exist_ok=True)
        with archive.open(name) as source, open(out, "wb") as sink:
            shutil.copyfileobj(gzip.open(source) if name.endswith(".gz") else source, sink)
`;

/** The folder to put in AWS_DATA_PATH. */
export async function lambdaModelDataPath(): Promise<string> {
  const dir = join(DEPENDENCY_CACHE, `botocore-${BOTOCORE_VERSION}-lambda-model`);
  if (existsSync(join(dir, '.complete'))) return dir;
  mkdirSync(DEPENDENCY_CACHE, { recursive: true });
  const staging = mkdtempSync(`${dir}.staging-`);
  try {
    await run('/usr/bin/python3', ['-m', 'pip', 'download', '--quiet', '--no-deps', '--only-binary=:all:', '--dest', staging, `botocore==${BOTOCORE_VERSION}`], { timeout: 300_000 });
    await run('/usr/bin/python3', ['-c', EXTRACT, staging, join(staging, 'models')]);
    writeFileSync(join(staging, 'models', '.complete'), BOTOCORE_VERSION);
    if (existsSync(dir)) rmSync(dir, { recursive: true, force: true });
    renameSync(join(staging, 'models'), dir);
  } finally {
    rmSync(staging, { recursive: true, force: true });
  }
  return dir;
}
