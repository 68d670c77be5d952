import { Module } from '@nestjs/common';
import { APP_INTERCEPTOR } from '@nestjs/core';
import { IdempotencyAfterUpload, IdempotencyInterceptor } from './idempotency.interceptor.js';
import { IdempotencyPurger } from './idempotency.purger.js';
import { IdempotencyStore } from './idempotency.store.js';

/** Idempotency-Key on every POST under /api (see idempotency.interceptor.ts). Its table: migration 1764480000000. */
@Module({
  providers: [
    IdempotencyStore,
    IdempotencyPurger,
    IdempotencyAfterUpload,
    { provide: APP_INTERCEPTOR, useClass: IdempotencyInterceptor },
  ],
  // A route that lists IdempotencyAfterUpload gets its own instance, built with these.
  exports: [IdempotencyStore, IdempotencyAfterUpload],
})
export class IdempotencyModule {}
