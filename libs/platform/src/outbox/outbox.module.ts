import { Global, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { OutboxEvent } from './outbox-event.entity';
import { OutboxService } from './outbox.service';

@Global()
@Module({ imports: [TypeOrmModule.forFeature([OutboxEvent])], providers: [OutboxService], exports: [OutboxService] })
export class OutboxModule {}
