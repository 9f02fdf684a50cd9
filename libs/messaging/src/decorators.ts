import { SetMetadata } from '@nestjs/common';
import { EventType } from '@shelfwatch/contracts';

export const EVENT_HANDLER_METADATA = 'shelfwatch:event-handler';
export const RPC_HANDLER_METADATA = 'shelfwatch:rpc-handler';

/**
 * Marks a provider method as the handler of one event type. The method receives the validated event and
 * a {@link HandlerContext}; it runs inside the inbox transaction and the message is acked after commit.
 */
export const OnEvent = (type: EventType): MethodDecorator => SetMetadata(EVENT_HANDLER_METADATA, type);

/** Marks a provider method as the handler of a request/reply subject (queries and commands between services). */
export const OnRequest = (subject: string): MethodDecorator => SetMetadata(RPC_HANDLER_METADATA, subject);
