import { Injectable } from '@nestjs/common';
import {
  CRAWLER_RPC,
  RpcAnswer,
  crawlerCredentialsDeleteRequest,
  crawlerCredentialsGetRequest,
  crawlerCredentialsPutRequest,
} from '@shelfwatch/contracts';
import { OnRequest } from '@shelfwatch/messaging';
import { answer } from './credentials.errors';
import { CredentialsService } from './credentials.service';

/** A tenant's own marketplace credentials over request/reply (the secret comes in, never goes out). */
@Injectable()
export class CredentialsHandler {
  constructor(private readonly credentials: CredentialsService) {}

  @OnRequest(CRAWLER_RPC.credentialsPut)
  put(payload: unknown): Promise<RpcAnswer<'crawler.credentials.put'>> {
    return answer(crawlerCredentialsPutRequest, payload, ({ clientId, clientSecret, ...owner }) =>
      this.credentials.put(owner, clientId, clientSecret),
    );
  }

  @OnRequest(CRAWLER_RPC.credentialsGet)
  get(payload: unknown): Promise<RpcAnswer<'crawler.credentials.get'>> {
    return answer(crawlerCredentialsGetRequest, payload, (owner) => this.credentials.get(owner));
  }

  @OnRequest(CRAWLER_RPC.credentialsDelete)
  delete(payload: unknown): Promise<RpcAnswer<'crawler.credentials.delete'>> {
    return answer(crawlerCredentialsDeleteRequest, payload, (owner) => this.credentials.delete(owner));
  }
}
