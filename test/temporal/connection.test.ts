import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { InputError } from '../../src/errors.js';
import { embeddedTarget, serverTarget, temporalSettings } from '../../src/temporal/connection.js';

const dir = mkdtempSync(join(tmpdir(), 'pipetune-conn-'));
const write = (name: string, text: string) => {
  const file = join(dir, name);
  writeFileSync(file, text);
  return file;
};
const ca = write('ca.pem', 'CA');
const crt = write('client.pem', 'CRT');
const key = write('client.key', 'KEY');
const toml = write(
  'temporal.toml',
  `[profile.default]
address = "localhost:7233"

[profile.cloud]
address = "my-ns.a1b2c.tmprl.cloud:7233"
namespace = "my-ns.a1b2c"
[profile.cloud.tls]
client_cert_path = "${crt}"
client_key_path = "${key}"

[profile.keyed]
address = "us-east-1.aws.api.temporal.io:7233"
namespace = "team.a1b2c"
api_key = "secret-key"
`,
);
/** No config file of the machine running the tests leaks in. */
const bytes = (text: string) => new Uint8Array(Buffer.from(text));
const base = { TEMPORAL_CONFIG_FILE: join(dir, 'none.toml') };

describe('Temporal connection settings', () => {
  it('nothing set: no address (the embedded server), namespace default', () => {
    expect(temporalSettings(base)).toEqual({ address: undefined, namespace: 'default', options: {} });
  });

  it('TEMPORAL_ADDRESS, TEMPORAL_NAMESPACE and TLS files from the environment', () => {
    const settings = temporalSettings({
      ...base,
      TEMPORAL_ADDRESS: 'temporal.internal:7233',
      TEMPORAL_NAMESPACE: 'perception',
      TEMPORAL_TLS_CLIENT_CERT_PATH: crt,
      TEMPORAL_TLS_CLIENT_KEY_PATH: key,
      TEMPORAL_TLS_SERVER_CA_CERT_PATH: ca,
      TEMPORAL_TLS_SERVER_NAME: 'temporal.internal',
    });
    expect(settings.address).toBe('temporal.internal:7233');
    expect(settings.namespace).toBe('perception');
    expect(settings.options.tls).toEqual({
      serverNameOverride: 'temporal.internal',
      serverRootCACertificate: bytes('CA'),
      clientCertPair: { crt: bytes('CRT'), key: bytes('KEY') },
    });
    expect(serverTarget(settings)?.options).toMatchObject({ address: 'temporal.internal:7233' });
  });

  it('a profile of the temporal CLI config file, chosen by TEMPORAL_PROFILE; the environment overrides it', () => {
    const cloud = temporalSettings({ TEMPORAL_CONFIG_FILE: toml, TEMPORAL_PROFILE: 'cloud' });
    expect(cloud.address).toBe('my-ns.a1b2c.tmprl.cloud:7233');
    expect(cloud.namespace).toBe('my-ns.a1b2c');
    expect(cloud.options.tls).toMatchObject({ clientCertPair: { crt: bytes('CRT'), key: bytes('KEY') } });
    const overridden = temporalSettings({
      TEMPORAL_CONFIG_FILE: toml,
      TEMPORAL_PROFILE: 'cloud',
      TEMPORAL_NAMESPACE: 'other',
    });
    expect(overridden.namespace).toBe('other');
    expect(temporalSettings({ TEMPORAL_CONFIG_FILE: toml }).address).toBe('localhost:7233');
  });

  it('an API key turns TLS on', () => {
    const keyed = temporalSettings({ TEMPORAL_CONFIG_FILE: toml, TEMPORAL_PROFILE: 'keyed' });
    expect(keyed.options).toMatchObject({ apiKey: 'secret-key', tls: true });
  });

  it('a missing profile or a broken file is one input error naming the file and profile', () => {
    const missing = () => temporalSettings({ TEMPORAL_CONFIG_FILE: toml, TEMPORAL_PROFILE: 'nope' });
    expect(missing).toThrow(InputError);
    expect(missing).toThrow(`Temporal connection settings (${toml}, profile nope): Profile 'nope' not found`);
    const broken = write('broken.toml', '[profile.default\naddress = 1\n');
    expect(() => temporalSettings({ TEMPORAL_CONFIG_FILE: broken })).toThrow(
      new RegExp(`^Temporal connection settings \\(${broken}, profile default\\): [^\\n]+$`),
    );
  });

  it('the embedded server gets neither TLS nor the configured namespace', () => {
    expect(embeddedTarget('127.0.0.1:7244')).toEqual({
      address: '127.0.0.1:7244',
      namespace: 'default',
      options: { address: '127.0.0.1:7244' },
    });
  });
});
