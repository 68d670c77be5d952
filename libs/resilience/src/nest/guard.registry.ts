// Every guard of this service by dependency name, and by the API whose budget it spends.
import { Injectable } from '@nestjs/common';
import type { DependencyGuard } from '../guard/dependency-guard.js';

@Injectable()
export class GuardRegistry {
  private readonly guards = new Map<string, DependencyGuard>();

  add(guard: DependencyGuard): void {
    if (this.guards.has(guard.name)) throw new Error(`resilience: two guards for ${guard.name}`);
    this.guards.set(guard.name, guard);
  }

  get(name: string): DependencyGuard | undefined {
    return this.guards.get(name);
  }

  forApi(api: string): DependencyGuard[] {
    return this.all().filter((g) => g.limiter?.api === api);
  }

  all(): DependencyGuard[] {
    return [...this.guards.values()];
  }
}
