export * from './history-chain';
export * from './history-event.entity';
export * from './history-head.entity';
export * from './history.service';
export * from './history.module';
export * from './history-checkpoint';
