// What every stand-in receives when it is mounted: the shared fault knobs and request counters.
import type { Counters, FaultRegistry } from './faults/index.js';

export interface SandboxContext {
  faults: FaultRegistry;
  counters: Counters;
  /** Folder for generated state that must survive a restart (the TLS CA and certificate). */
  stateDir: string;
}
