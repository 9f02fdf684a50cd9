import { Controller } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import {
  CRAWLER_RPC,
  crawlerCredentialsDeleteRequest,
  crawlerCredentialsGetRequest,
  crawlerCredentialsPutRequest,
  RpcAnswer,
} from '@shelfwatch/contracts';
import { CredentialsService } from './credentials.service';
import { ContractPipe } from '@shelfwatch/messaging';
import { z } from 'zod';

/** A tenant's own marketplace credentials over request/reply (the secret comes in, never goes out). */
@Controller()
export class CredentialsHandler {
  constructor(private readonly credentials: CredentialsService) {}

  @MessagePattern(CRAWLER_RPC.credentialsPut)
  put(
    @Payload(new ContractPipe(crawlerCredentialsPutRequest))
    { clientId, clientSecret, ...owner }: z.output<typeof crawlerCredentialsPutRequest>,
  ): Promise<RpcAnswer<'crawler.credentials.put'>> {
    return this.credentials.put(owner, clientId, clientSecret);
  }

  @MessagePattern(CRAWLER_RPC.credentialsGet)
  get(
    @Payload(new ContractPipe(crawlerCredentialsGetRequest)) owner: z.output<typeof crawlerCredentialsGetRequest>,
  ): Promise<RpcAnswer<'crawler.credentials.get'>> {
    return this.credentials.get(owner);
  }

  @MessagePattern(CRAWLER_RPC.credentialsDelete)
  delete(
    @Payload(new ContractPipe(crawlerCredentialsDeleteRequest)) owner: z.output<typeof crawlerCredentialsDeleteRequest>,
  ): Promise<{ deleted: true }> {
    return this.credentials.delete(owner);
  }
}
