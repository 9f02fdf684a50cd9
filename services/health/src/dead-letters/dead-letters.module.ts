import { Module } from '@nestjs/common';
import { DeadLettersHandler } from './dead-letters.handler';

/** The dead letters over request/reply; `NatsLink`, `Topology` and `RpcClientProxy` come from the global messaging. */
@Module({ controllers: [DeadLettersHandler] })
export class DeadLettersModule {}
