import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readPolicyFile, workerPolicy } from '../../src/worker/policyFile.js';
import { REPO } from '../helpers/temporal.js';

const dir = mkdtempSync(join(tmpdir(), 'pipetune-policy-file-'));
function file(name: string, text: string): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

describe('pipetune worker --policy FILE', () => {
  it('no flags and no file: nothing but builtin studies', () => {
    expect(workerPolicy({})).toEqual({
      programs: [],
      images: [],
      network: false,
      binds: [],
      rootUser: false,
    });
  });

  it('reads YAML and JSON; folders are relative to the file; flags add to it', () => {
    const yaml = file(
      'worker.yml',
      'programs: [python3]\nimages: [ds:7]\nstudyRoot: studies\nnetwork: true\nbinds: [models:ro, /cache]\n',
    );
    expect(
      workerPolicy({ policy: yaml, 'allow-program': ['node', 'python3'], 'allow-bind': ['/scratch'] }),
    ).toEqual({
      programs: ['python3', 'node'],
      images: ['ds:7'],
      studyRoot: join(dir, 'studies'),
      network: true,
      binds: [
        { path: join(dir, 'models'), readOnly: true },
        { path: '/cache', readOnly: false },
        { path: '/scratch', readOnly: false },
      ],
      rootUser: false,
    });
    const json = file('worker.json', '{"images": "any", "rootUser": true}');
    expect(workerPolicy({ policy: json, 'study-root': '/srv/a' })).toMatchObject({
      programs: [],
      images: 'any',
      studyRoot: '/srv/a',
      rootUser: true,
    });
    expect(workerPolicy({ 'allow-any-program': true, 'allow-program': ['x'] }).programs).toBe('any');
  });

  it('the sample policy file of the docs and docker-compose.yml is valid', () => {
    expect(readPolicyFile(join(REPO, 'examples', 'worker-policy.yml')).images).toEqual([
      'nvcr.io/nvidia/deepstream:7.1-triton-multiarch',
    ]);
  });

  it('a bad file is one line naming the file and the key', () => {
    const expected =
      'expected programs, images (lists or "any"), studyRoot, network, binds, rootUser (docs/trust.md)';
    const cases: [string, string][] = [
      ['programs: python3\n', 'programs: Invalid input; '],
      ['images: [ds:7]\nallowAll: true\n', 'Unrecognized key: "allowAll"; '],
      ['binds: ["/a:/b"]\n', 'binds.0: expected DIR or DIR:ro; '],
    ];
    for (const [text, message] of cases) {
      const path = file('bad.yml', text);
      expect(() => readPolicyFile(path)).toThrow(`${path}: ${message}${expected}`);
    }
    const broken = file('broken.yml', 'programs: [python3\n');
    expect(() => readPolicyFile(broken)).toThrow(new RegExp(`^${broken}: not YAML or JSON: `));
    expect(() => workerPolicy({ 'allow-bind': ['/a:/b'] })).toThrow(
      'pipetune worker --allow-bind "/a:/b": expected DIR or DIR:ro',
    );
    expect(() => readPolicyFile(join(dir, 'missing.yml'))).toThrow(
      /missing\.yml: worker policy file not found$/,
    );
  });
});
