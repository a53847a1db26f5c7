import { Module } from '@nestjs/common';

/**
 * The BullMQ processors (one WorkerHost per queue). Mounted by the worker process, and by the
 * API process in single-process mode; it brings no platform of its own.
 */
@Module({ imports: [], providers: [] })
export class ProcessorsModule {}
