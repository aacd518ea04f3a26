/**
 * Where and how to reach Temporal, read as Temporal's own tools read it (through the SDK's
 * @temporalio/envconfig): the profile TEMPORAL_PROFILE (default "default") of the temporal CLI's config
 * file (TEMPORAL_CONFIG_FILE, default ~/.config/temporalio/temporal.toml), overridden by TEMPORAL_ADDRESS,
 * TEMPORAL_NAMESPACE, TEMPORAL_API_KEY, TEMPORAL_TLS, TEMPORAL_TLS_CLIENT_CERT_PATH/_KEY_PATH,
 * TEMPORAL_TLS_SERVER_CA_CERT_PATH, TEMPORAL_TLS_SERVER_NAME and TEMPORAL_GRPC_META_*. The CLI, the
 * workers and anything that submits a study all connect through here.
 */
import { loadClientConnectConfig } from '@temporalio/envconfig';
import type { NativeConnectionOptions } from '@temporalio/worker';
import { InputError } from '../errors.js';

export interface TemporalSettings {
  /** The server's host:port; undefined when nothing names one (pipetune then uses its embedded server). */
  address?: string;
  namespace: string;
  /** TLS, API key and gRPC metadata for a configured server; nothing for the embedded one. */
  options: Omit<NativeConnectionOptions, 'address'>;
}

/** The settings in `env` (default: this process's environment) and the config file it points at. */
export function temporalSettings(env: Record<string, string | undefined> = process.env): TemporalSettings {
  const vars = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined)) as Record<
    string,
    string
  >;
  let loaded: ReturnType<typeof loadClientConnectConfig>;
  try {
    loaded = loadClientConnectConfig({ overrideEnvVars: vars });
  } catch (err) {
    const file = vars.TEMPORAL_CONFIG_FILE ?? '~/.config/temporalio/temporal.toml';
    const profile = vars.TEMPORAL_PROFILE ?? 'default';
    throw new InputError(
      `Temporal connection settings (${file}, profile ${profile}): ${(err as Error).message.split('\n')[0]}`,
    );
  }
  const { address, ...options } = loaded.connectionOptions;
  const defined = Object.fromEntries(Object.entries(options).filter(([, v]) => v !== undefined));
  return { address: address || undefined, namespace: loaded.namespace || 'default', options: defined };
}

/** A server to connect to: its address, the namespace studies live in, and how to connect. */
export interface TemporalTarget {
  address: string;
  namespace: string;
  options: NativeConnectionOptions;
}

/** The configured server (or `address`, a worker's --address, with the configured TLS and namespace). */
export function serverTarget(
  settings: TemporalSettings,
  address = settings.address,
): TemporalTarget | undefined {
  return address
    ? { address, namespace: settings.namespace, options: { ...settings.options, address } }
    : undefined;
}

/** pipetune's embedded dev server: plain loopback, namespace default. */
export function embeddedTarget(address: string): TemporalTarget {
  return { address, namespace: 'default', options: { address } };
}
