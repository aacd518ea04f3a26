/**
 * ffprobe and ffmpeg at the edge: spawned with an argument array (never a shell), their failures turned
 * into one-line input errors naming the video. PIPETUNE_FFMPEG / PIPETUNE_FFPROBE override the programs
 * found on PATH.
 */
import { spawn } from 'node:child_process';
import { InputError, inputError } from '../errors.js';

export interface VideoInfo {
  width: number;
  height: number;
  /** Frame rate as ffprobe reports it (`30/1`) and as a number. */
  rate: string;
  fps: number;
  /** Frames actually decoded (ffprobe -count_frames), not the container's claim. */
  frames: number;
}

const program = (name: 'ffmpeg' | 'ffprobe') =>
  (name === 'ffmpeg' ? process.env.PIPETUNE_FFMPEG : process.env.PIPETUNE_FFPROBE) ?? name;

interface Outcome {
  code: number | null;
  stdout: string;
  stderr: string;
}

function runProgram(
  name: 'ffmpeg' | 'ffprobe',
  args: string[],
  file: string,
  onStdout?: (chunk: string) => void,
): Promise<Outcome> {
  return new Promise((resolve, reject) => {
    const child = spawn(program(name), args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      if (onStdout) onStdout(chunk);
      else stdout += chunk;
    });
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
      stderr = (stderr + chunk).slice(-4000);
    });
    child.on('error', (err: NodeJS.ErrnoException) => {
      reject(
        err.code === 'ENOENT'
          ? inputError(
              file,
              undefined,
              `augmenting a video needs ${program(name)}, which is not installed (run npm run setup, or apt-get install ffmpeg)`,
            )
          : inputError(file, undefined, `cannot run ${program(name)}: ${err.message}`),
      );
    });
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

/** The last meaningful line ffmpeg printed, for a one-line message. */
function lastLine(text: string): string {
  const lines = text
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean);
  return lines.at(-1) ?? 'no message';
}

/** Size, rate and decoded frame count of a file's first video stream; an input error if it has none. */
export async function probeVideo(file: string): Promise<VideoInfo> {
  const { code, stdout, stderr } = await runProgram(
    'ffprobe',
    [
      '-v',
      'error',
      '-count_frames',
      '-select_streams',
      'v:0',
      '-show_entries',
      'stream=width,height,r_frame_rate,nb_read_frames',
      '-of',
      'json',
      file,
    ],
    file,
  );
  const expected = 'expected a readable video (mp4 with an H.264 or other video stream)';
  if (code !== 0)
    throw inputError(
      file,
      undefined,
      `${expected}; ffprobe: ${lastLine(stderr.replaceAll(`${file}: `, ''))}`,
    );
  const stream = (JSON.parse(stdout) as { streams?: Record<string, unknown>[] }).streams?.[0];
  if (!stream) throw inputError(file, undefined, `${expected}; it has no video stream`);
  const rate = String(stream.r_frame_rate);
  const [num, den] = rate.split('/').map(Number) as [number, number];
  const info = {
    width: Number(stream.width),
    height: Number(stream.height),
    rate,
    fps: num / (den || 1),
    frames: Number(stream.nb_read_frames),
  };
  if (![info.width, info.height, info.fps, info.frames].every((v) => Number.isFinite(v) && v > 0))
    throw inputError(file, undefined, `${expected}; ffprobe found no decodable frames`);
  // A truncated file still probes; ffprobe's complaints about the stream tell.
  if (stderr.trim()) throw inputError(file, undefined, `${expected}; ffprobe: ${lastLine(stderr)}`);
  return info;
}

/** Fails with an input error naming `file` when ffmpeg cannot run (before anything is written). */
export async function requireFfmpeg(file: string): Promise<void> {
  const { code, stderr } = await runProgram('ffmpeg', ['-hide_banner', '-version'], file);
  if (code !== 0)
    throw inputError(file, undefined, `${program('ffmpeg')} -version failed: ${lastLine(stderr)}`);
}

/** Re-encode `input` through `graph` into `output`; `onFrame` hears the frames written so far. */
export async function encodeVideo(
  input: string,
  graph: string,
  output: string,
  onFrame: (frame: number) => void,
): Promise<void> {
  const args = [
    ...QUIET,
    '-progress',
    'pipe:1',
    '-xerror',
    '-i',
    input,
    '-filter_complex',
    graph,
    '-map',
    '[out]',
    '-fps_mode',
    'passthrough',
    ...H264,
    '-y',
    output,
  ];
  let pending = '';
  const { code, stderr } = await runProgram('ffmpeg', args, input, (chunk) => {
    pending += chunk;
    const lines = pending.split('\n');
    pending = lines.pop()!;
    for (const line of lines) if (line.startsWith('frame=')) onFrame(Number(line.slice(6)));
  });
  if (code !== 0) throw inputError(input, undefined, `ffmpeg could not augment it: ${lastLine(stderr)}`);
}

const QUIET = ['-nostdin', '-hide_banner', '-loglevel', 'error', '-nostats'];

/** Same input and options → the same bytes: one encoder thread, no version strings or dates. */
const H264 = [
  '-c:v',
  'libx264',
  '-preset',
  'veryfast',
  '-crf',
  '18',
  '-pix_fmt',
  'yuv420p',
  '-threads',
  '1',
  '-filter_threads',
  '1',
  '-map_metadata',
  '-1',
  '-fflags',
  '+bitexact',
  '-flags:v',
  '+bitexact',
  '-an',
  '-sn',
  '-dn',
  '-f',
  'mp4',
];

/**
 * Encode `count` RGB frames (`frame(i)` for i = 0..count-1, each width·height·3 bytes) as an H.264 mp4,
 * written to ffmpeg's stdin as fast as it takes them.
 */
export async function encodeFrames(
  output: string,
  size: { width: number; height: number; fps: number },
  count: number,
  frame: (index: number) => Buffer,
): Promise<void> {
  const args = [
    ...QUIET,
    '-f',
    'rawvideo',
    '-pix_fmt',
    'rgb24',
    '-s',
    `${size.width}x${size.height}`,
    '-r',
    String(size.fps),
    '-i',
    'pipe:0',
    ...H264,
    '-y',
    output,
  ];
  const child = spawn(program('ffmpeg'), args, { stdio: ['pipe', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
    stderr = (stderr + chunk).slice(-4000);
  });
  const closed = new Promise<number | null>((resolve, reject) => {
    child.on('error', (err: NodeJS.ErrnoException) =>
      reject(
        err.code === 'ENOENT'
          ? inputError(
              output,
              undefined,
              `writing a video needs ${program('ffmpeg')}, which is not installed (run npm run setup)`,
            )
          : err,
      ),
    );
    child.on('close', resolve);
  });
  // A write error (ffmpeg gone) shows up as its exit status below.
  child.stdin.on('error', () => {});
  for (let i = 0; i < count && child.exitCode === null; i++) {
    // Copied: the caller may reuse its buffer before the pipe has taken this one.
    if (!child.stdin.write(Buffer.from(frame(i))))
      await new Promise<void>((resolve) => {
        const go = () => {
          child.stdin.off('drain', go).off('close', go);
          resolve();
        };
        child.stdin.on('drain', go).on('close', go);
      });
  }
  child.stdin.end();
  const code = await closed;
  if (code !== 0)
    throw inputError(output, undefined, `ffmpeg could not write the video: ${lastLine(stderr)}`);
}

/** The written video must keep the input's size, rate and frame count, or its labels no longer fit. */
export async function checkSameShape(input: VideoInfo, output: string): Promise<void> {
  const out = await probeVideo(output);
  const differs: string[] = [];
  if (out.width !== input.width || out.height !== input.height)
    differs.push(`size ${out.width}×${out.height} instead of ${input.width}×${input.height}`);
  if (out.rate !== input.rate) differs.push(`frame rate ${out.rate} instead of ${input.rate}`);
  if (out.frames !== input.frames) differs.push(`${out.frames} frames instead of ${input.frames}`);
  if (differs.length) throw new InputError(`${output}: ffmpeg wrote ${differs.join(', ')}`);
}
