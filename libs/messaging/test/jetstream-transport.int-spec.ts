import { MikroORM } from '@mikro-orm/postgresql';
import {
  CallHandler,
  Controller,
  ExecutionContext,
  Global,
  INestApplication,
  Module,
  NestInterceptor,
  UseFilters,
  UseInterceptors,
} from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { Ctx, EventPattern, MessagePattern, Payload } from '@nestjs/microservices';
import { FastifyAdapter } from '@nestjs/platform-fastify';
import { DomainError, EventEnvelope, EventType, STREAMS } from '@shelfwatch/contracts';
import {
  KEYWORD_EFFECTS_SQL,
  TEST_NATS_URL,
  TestDatabase,
  TestNats,
  aKeywordAddedEvent,
  createTestDatabase,
  createTestNats,
  eventually,
  logger,
  openServiceOrm,
  readStream,
} from '@shelfwatch/testing';
import { lastValueFrom, Observable, tap } from 'rxjs';
import { z } from 'zod';
import { DEAD_LETTER_HEADERS } from '../src/dead-letter';
import { HandlerContext } from '../src/event-handler';
import { PermanentHandlerError } from '../src/handler-errors';
import { MessagingModule } from '../src/messaging.module';
import { MessagingService } from '../src/messaging.service';
import { RpcRemoteError } from '../src/rpc';
import { connectJetStreamTransport } from '../src/transport/connect-transport';
import { ContractPipe } from '../src/transport/contract.pipe';
import { JetStreamRequestContext } from '../src/transport/jetstream.context';
import { RefusalFilter } from '../src/transport/message-outcome.filter';
import { RpcClientProxy } from '../src/transport/rpc.client-proxy';

const ECHO = 'ranking.fixture.echo';
const CLAIM = 'ranking.fixture.claim';

/** A use case's domain refusal, mapped to an rpc error code by the controller's filter. */
class KeywordRefused extends Error {}

/** A domain error of the registry's codes, as the services write theirs: answered with its code, no filter. */
class KeywordTaken extends DomainError<'conflict'> {}

/** Counts what passes through it: interceptors run around transport handlers. */
class CountingInterceptor implements NestInterceptor {
  static readonly seen: string[] = [];

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const pattern = context.switchToRpc().getContext<{ getPattern(): string }>().getPattern();
    return next.handle().pipe(tap(() => CountingInterceptor.seen.push(pattern)));
  }
}

/** Event handling with the transport's own filter only: the handler's error must reach the consumer as thrown. */
@Controller()
@UseInterceptors(CountingInterceptor)
class KeywordEffectsHandler {
  @EventPattern<EventType>('tracking.keyword.added')
  async onKeywordAdded(
    @Payload() event: EventEnvelope<'tracking.keyword.added'>,
    @Ctx() ctx: HandlerContext,
  ): Promise<void> {
    await ctx.em.execute('insert into ranking.effects values (?, ?)', [event.id, event.data.keyword], 'run');
    if (event.data.keyword === 'poison') {
      throw new PermanentHandlerError('unknown_product', 'product not tracked');
    }
  }
}

@Controller()
@UseInterceptors(CountingInterceptor)
@UseFilters(
  new RefusalFilter((error) =>
    error instanceof KeywordRefused ? { code: 'keyword_refused', message: error.message } : undefined,
  ),
)
class EchoHandler {
  @MessagePattern(ECHO)
  echo(
    @Payload(new ContractPipe(z.object({ keyword: z.string().min(1) }))) input: { keyword: string },
    @Ctx() ctx: JetStreamRequestContext,
  ): { keyword: string; subject: string } {
    if (input.keyword === 'refused') {
      throw new KeywordRefused(`${input.keyword} is refused`);
    }
    return { keyword: input.keyword, subject: ctx.getPattern() };
  }
}

/** A request controller without any filter of its own. */
@Controller()
class ClaimHandler {
  @MessagePattern(CLAIM)
  claim(@Payload(new ContractPipe(z.object({ keyword: z.string() }))) input: { keyword: string }): { claimed: string } {
    if (input.keyword === 'taken') {
      throw new KeywordTaken('conflict', `${input.keyword} is already claimed`);
    }
    return { claimed: input.keyword };
  }
}

describe('the JetStream transport of @nestjs/microservices', () => {
  let db: TestDatabase;
  let orm: MikroORM;
  let nats: TestNats;
  let app: INestApplication;

  beforeAll(async () => {
    db = await createTestDatabase();
    orm = await openServiceOrm(db, 'ranking', [KEYWORD_EFFECTS_SQL]);
    nats = await createTestNats();
    @Global()
    @Module({ providers: [{ provide: MikroORM, useValue: orm }], exports: [MikroORM] })
    class OrmModule {}
    @Module({
      imports: [
        OrmModule,
        MessagingModule.forService({
          service: 'ranking',
          schema: 'ranking',
          natsUrl: TEST_NATS_URL,
          namespace: nats.namespace,
          provisionStreams: false,
          handles: ['tracking.keyword.added'],
          logger,
          consumer: { redeliveryBaseMs: 200 },
        }),
      ],
      controllers: [KeywordEffectsHandler, EchoHandler, ClaimHandler],
    })
    class FixtureModule {}
    app = await NestFactory.create(FixtureModule, new FastifyAdapter(), { logger: false });
    connectJetStreamTransport(app);
    await app.init();
    await app.startAllMicroservices();
  });

  afterAll(async () => {
    await app.close();
    await nats.cleanup();
    await orm.close(true);
    await db.drop();
  });

  const effects = () => orm.em.fork().execute<{ keyword: string }[]>('select keyword from ranking.effects order by 1');
  const publish = async (event: EventEnvelope<'tracking.keyword.added'>, msgID = event.id): Promise<void> => {
    await nats.js.publish(nats.topology.subject(event.type), JSON.stringify(event), { msgID });
  };

  it('reports the transport listening with its consumer running', () => {
    expect(app.get(MessagingService).health()).toEqual({
      nats: true,
      listening: true,
      consumers: { 'ranking-tracking': true },
    });
  });

  it('applies an event through its @EventPattern handler once, in the inbox transaction given by @Ctx()', async () => {
    const event = aKeywordAddedEvent({ keyword: 'once' });
    await publish(event);
    // The same event again under another message id (a re-publish after a relay failover).
    await publish(event, `${event.id}-again`);
    await eventually(async () => expect(await effects()).toEqual([{ keyword: 'once' }]));
    const stream = nats.topology.streamName(STREAMS.TRACKING);
    await eventually(async () => {
      const info = await nats.jsm.consumers.info(stream, 'ranking-tracking');
      expect({ pending: info.num_pending, unacked: info.num_ack_pending }).toEqual({ pending: 0, unacked: 0 });
    });
    const inbox = await orm.em
      .fork()
      .execute<{ n: string }[]>('select count(*) as n from ranking.inbox where event_id = ?', [event.id]);
    expect(inbox[0]?.n).toBe('1');
    expect(await effects()).toEqual([{ keyword: 'once' }]);
    expect(CountingInterceptor.seen).toContain('tracking.keyword.added');
  });

  it('dead-letters a handler error as thrown (rolling its effects back), not as Nest would log it', async () => {
    const event = aKeywordAddedEvent({ keyword: 'poison' });
    await publish(event);
    const deadLetters = () => readStream(nats, nats.topology.streamName(STREAMS.DEADLETTER));
    await eventually(async () => expect(await deadLetters()).toHaveLength(1));
    const [parked] = await deadLetters();
    expect(parked?.header.get(DEAD_LETTER_HEADERS.reason)).toBe('permanent_failure');
    expect(parked?.header.get(DEAD_LETTER_HEADERS.error)).toBe('unknown_product: product not tracked');
    expect((await effects()).map((row) => row.keyword)).not.toContain('poison');
  });

  it('answers a @MessagePattern request sent with the ClientProxy, its context naming the subject', async () => {
    const client = app.get(RpcClientProxy);
    await expect(lastValueFrom(client.send(ECHO, { keyword: 'shoes' }))).resolves.toEqual({
      keyword: 'shoes',
      subject: ECHO,
    });
    expect(CountingInterceptor.seen).toContain(ECHO);
  });

  it('answers `invalid` naming the field when the contract pipe refuses the payload', async () => {
    const error: unknown = await lastValueFrom(app.get(RpcClientProxy).send(ECHO, { keyword: '' })).catch(
      (caught: unknown) => caught,
    );
    expect(error).toBeInstanceOf(RpcRemoteError);
    expect(error).toMatchObject({ code: 'invalid', message: expect.stringContaining('keyword') as unknown });
  });

  it("answers a domain refusal with the code the controller's filter maps it to", async () => {
    const error: unknown = await lastValueFrom(app.get(RpcClientProxy).send(ECHO, { keyword: 'refused' })).catch(
      (caught: unknown) => caught,
    );
    expect(error).toMatchObject({ code: 'keyword_refused', message: 'refused is refused' });
  });

  it('answers a DomainError with its registry code without any filter on the controller', async () => {
    const error: unknown = await lastValueFrom(app.get(RpcClientProxy).send(CLAIM, { keyword: 'taken' })).catch(
      (caught: unknown) => caught,
    );
    expect(error).toBeInstanceOf(RpcRemoteError);
    expect(error).toMatchObject({ code: 'conflict', message: 'taken is already claimed' });
  });

  it('refuses to emit an event through the client: events leave through the outbox', async () => {
    await expect(lastValueFrom(app.get(RpcClientProxy).emit('tracking.keyword.added', {}))).rejects.toThrow(
      /through the outbox/,
    );
  });
});
