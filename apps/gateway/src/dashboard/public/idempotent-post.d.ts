// Types of idempotent-post.js, for its unit test (the page's modules are plain JS, served as they are).
export function newKey(c?: { randomUUID?: () => string; getRandomValues<T extends Uint8Array>(a: T): T }): string;
export function keyHeader(key: string): string;
export function postIdempotent(
  attempt: (key: string) => Promise<{ status: number; headers: { get(name: string): string | null } }>,
  options?: { key?: string; delays?: number[]; sleep?: (ms: number) => Promise<void> },
): Promise<{ status: number; headers: { get(name: string): string | null } }>;
