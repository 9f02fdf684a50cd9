import { Controller } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import {
  CRAWLER_RPC,
  CrawlerCredentialsStored,
  CrawlerCredentialsView,
  crawlerCredentialsDeleteRequest,
  crawlerCredentialsGetRequest,
  crawlerCredentialsPutRequest,
} from '@shelfwatch/contracts';
import { answer } from './credentials.errors';
import { CredentialsService } from './credentials.service';

/** A tenant's own marketplace credentials over request/reply (the secret comes in, never goes out). */
@Controller()
export class CredentialsHandler {
  constructor(private readonly credentials: CredentialsService) {}

  @MessagePattern(CRAWLER_RPC.credentialsPut)
  put(@Payload() payload: unknown): Promise<CrawlerCredentialsStored> {
    return answer(crawlerCredentialsPutRequest, payload, ({ clientId, clientSecret, ...owner }) =>
      this.credentials.put(owner, clientId, clientSecret),
    );
  }

  @MessagePattern(CRAWLER_RPC.credentialsGet)
  get(@Payload() payload: unknown): Promise<CrawlerCredentialsView> {
    return answer(crawlerCredentialsGetRequest, payload, (owner) => this.credentials.get(owner));
  }

  @MessagePattern(CRAWLER_RPC.credentialsDelete)
  delete(@Payload() payload: unknown): Promise<{ deleted: true }> {
    return answer(crawlerCredentialsDeleteRequest, payload, (owner) => this.credentials.delete(owner));
  }
}
