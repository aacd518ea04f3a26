/**
 * The `deepstream` adapter: `deepstream-app -c <trial app config>` in the user's DeepStream image (or
 * on the host when no image is given), then the tracker's KITTI dump converted into MOT files. The app
 * config is generated per trial (./deepstreamConfig.ts) into the trial folder, next to the dump.
 */
import { readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { CONFIG_LIMIT, readInputText } from '../inputFiles.js';
import { makeDirectory } from '../outputFiles.js';
import { DEFAULT_APP_CONFIG, generateAppConfig } from './deepstreamConfig.js';
import { execute, type Placement } from './execute.js';
import { KeyFile } from './keyfile.js';
import { convertKittiDumps, type KittiOptions } from './kitti.js';
import { parseDeepstreamPerf, writePerf } from './perf.js';
import { appendNote } from './runLog.js';
import { datasetSources } from './sequences.js';
import type { PipelineAdapter, PipelineRunRequest, PipelineRunResult } from './types.js';

export interface DeepStreamSettings {
  /** The user's deepstream-app config (GLib key file) used as the template; a built-in one if absent. */
  appConfig?: string;
  /** Evaluate only these KITTI labels (e.g. ["person"]); every tracked object if absent. */
  labels?: string[];
}

/** Inside the trial folder. */
export const APP_CONFIG_NAME = 'deepstream-app.txt';
export const KITTI_DIR_NAME = 'kitti';

interface Template {
  text: string;
  path: string;
}

/** Reads and checks the template once, so a broken one stops the study before its first trial. */
function loadTemplate(appConfig: string | undefined): Template {
  if (appConfig === undefined) return { text: DEFAULT_APP_CONFIG, path: '(built-in deepstream-app config)' };
  const text = readInputText(appConfig, { what: 'the deepstream-app config', limit: CONFIG_LIMIT });
  KeyFile.parse(text, appConfig);
  return { text, path: appConfig };
}

export function deepstreamAdapter(settings: DeepStreamSettings, placement: Placement): PipelineAdapter {
  const template = loadTemplate(settings.appConfig);
  const kittiOptions: KittiOptions = settings.labels ? { labels: settings.labels } : {};

  async function run(request: PipelineRunRequest): Promise<PipelineRunResult> {
    const appFile = join(request.trialDir, APP_CONFIG_NAME);
    const kittiDir = join(request.trialDir, KITTI_DIR_NAME);
    // deepstream-app skips frames it cannot open a dump file for, so the folder must exist (and be empty).
    await rm(kittiDir, { recursive: true, force: true });
    makeDirectory(kittiDir, 'the KITTI output folder');
    const app = generateAppConfig({
      template: template.text,
      templatePath: template.path,
      pgie: request.configs.pgie,
      tracker: request.configs.tracker,
      sources: await datasetSources(request.datasetDir, request.seqmapPath),
      kittiDir,
      pinnedGpu: request.gpu !== undefined && (placement.docker?.gpus ?? true),
    });
    await writeFile(appFile, app.text);

    const result = await execute(['deepstream-app', '-c', appFile], request, placement);
    if (result.exitCode !== 0 || request.signal.aborted) return result;
    const summary = await convertKittiDumps(kittiDir, app.streams, request.outputDir, kittiOptions);
    for (const seq of summary.written)
      await appendNote(
        request.logFile,
        `${seq.name}: ${seq.frames} KITTI frame files → ${seq.rows} MOT rows`,
      );
    if (summary.missing.length > 0)
      await appendNote(
        request.logFile,
        `no KITTI track files for ${summary.missing.join(', ')} in ${kittiDir}`,
      );
    const perf = parseDeepstreamPerf(
      await readFile(request.logFile, 'utf8'),
      app.streams.map((s) => s.name),
    );
    if (perf) await writePerf(request.outputDir, perf);
    else await appendNote(request.logFile, 'no **PERF: lines in the log: the trial has no fps');
    return result;
  }

  return { name: 'deepstream', run };
}
