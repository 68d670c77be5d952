// The part of yauzl (3.x) the OneRoster zip reader uses, typed here until @types/yauzl is a dependency
// (then this file goes: its declarations are a subset of those).
declare module 'yauzl' {
  import type { EventEmitter } from 'node:events';
  import type { Readable } from 'node:stream';

  export interface Entry {
    fileName: string;
    compressedSize: number;
    uncompressedSize: number;
    isEncrypted(): boolean;
  }
  export interface ZipFile extends EventEmitter {
    entryCount: number;
    readEntry(): void;
    openReadStream(entry: Entry, callback: (err: Error | null, stream: Readable) => void): void;
    close(): void;
  }
  export interface Options {
    lazyEntries?: boolean;
    validateEntrySizes?: boolean;
    strictFileNames?: boolean;
    decodeStrings?: boolean;
  }
  export function fromBuffer(
    buffer: Buffer,
    options: Options,
    callback: (err: Error | null, zip: ZipFile) => void,
  ): void;
}
