/**
 * A run's log: every line a pipeline prints (stdout and stderr alike) goes into the trial's log file
 * and to the caller's `onOutput`, one whole line at a time. Each output stream gets its own line
 * buffer, so lines from stdout and stderr never get spliced into each other.
 */

import { once } from 'node:events';
import { createWriteStream, type WriteStream } from 'node:fs';
import { appendFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { Writable } from 'node:stream';
import { StringDecoder } from 'node:string_decoder';
import { makeDirectory } from '../outputFiles.js';
import { storageErrorOf } from '../storageErrors.js';

/** A line without a newline is cut here, so a progress bar drawn with `\r` cannot grow without bound. */
const MAX_LINE_CHARS = 64 * 1024;

/** Prefix of the lines pipetune itself adds (command line, exit status), so they stand out. */
const NOTE_PREFIX = '[pipetune] ';

export class RunLog {
  private readonly outputs: Writable[] = [];
  /** The first write the disk refused: the stream is destroyed then, and closing must not wait for it. */
  private failure: Error | undefined;

  private constructor(
    private readonly logFile: string,
    private readonly file: WriteStream,
    private readonly onOutput: ((line: string) => void) | undefined,
  ) {
    // Without a listener a refused write (a disk filled by the pipeline itself) would end the worker.
    file.on('error', (err) => {
      this.failure ??= err;
    });
  }

  /** Opens (and truncates) the log file: it holds this run only. */
  static async open(logFile: string, onOutput?: (line: string) => void): Promise<RunLog> {
    makeDirectory(dirname(logFile), 'the trial folder');
    const file = createWriteStream(logFile, { flags: 'w' });
    await once(file, 'open');
    return new RunLog(logFile, file, onOutput);
  }

  /** A line from pipetune (not from the pipeline): into the file only. */
  note(text: string): void {
    this.file.write(`${NOTE_PREFIX}${text}\n`);
  }

  /** A writable for one output stream of the pipeline; ending it flushes a last unterminated line. */
  output(): Writable {
    const decoder = new StringDecoder('utf8');
    let pending = '';
    const emit = (line: string) => {
      const text = line.endsWith('\r') ? line.slice(0, -1) : line;
      this.file.write(`${text}\n`);
      this.onOutput?.(text);
    };
    const take = (text: string) => {
      pending += text;
      let newline = pending.indexOf('\n');
      while (newline >= 0) {
        emit(pending.slice(0, newline));
        pending = pending.slice(newline + 1);
        newline = pending.indexOf('\n');
      }
      while (pending.length > MAX_LINE_CHARS) {
        emit(pending.slice(0, MAX_LINE_CHARS));
        pending = pending.slice(MAX_LINE_CHARS);
      }
    };
    const output = new Writable({
      write(chunk: Buffer, _encoding, done) {
        take(decoder.write(chunk));
        done();
      },
      final(done) {
        take(decoder.end());
        if (pending !== '') emit(pending);
        pending = '';
        done();
      },
    });
    this.outputs.push(output);
    return output;
  }

  /**
   * Ends every output (flushing its last line), then closes the file. A write the disk refused is a
   * StorageError naming the log's folder (the study holds until the disk takes writes again).
   */
  async close(): Promise<void> {
    for (const output of this.outputs) {
      if (!output.writableEnded) output.end();
      if (!output.writableFinished) await once(output, 'finish');
    }
    if (!this.file.closed) {
      this.file.end();
      await once(this.file, 'close').catch((err: Error) => {
        this.failure ??= err;
      });
    }
    if (this.failure) throw storageErrorOf(this.failure, this.logFile) ?? this.failure;
  }
}

/** Adds a pipetune line to a run's log after the run (e.g. what was made of its output). */
export async function appendNote(logFile: string, text: string): Promise<void> {
  await appendFile(logFile, `${NOTE_PREFIX}${text}\n`);
}
