import { isRpcSubject, rpcAnswerSchema } from '@shelfwatch/contracts';
import { RpcClient } from '@shelfwatch/messaging';

/**
 * An {@link RpcClient} for tests that holds every answer to the contract: the answer of a subject of the rpc
 * registry must pass that subject's answer schema (what the gateway documents), else the request rejects
 * naming the subject and every failing field. A service whose handler answers another shape fails its tests.
 */
export class CheckedRpcClient extends RpcClient {
  override async request<T>(subject: string, payload: unknown, timeoutMs?: number): Promise<T> {
    const answer = await super.request<T>(subject, payload, timeoutMs);
    if (isRpcSubject(subject)) {
      const checked = rpcAnswerSchema(subject).safeParse(answer);
      if (!checked.success) {
        const fields = checked.error.issues.map((issue) => `${issue.path.join('.') || '(root)'}: ${issue.message}`);
        throw new Error(`the answer of ${subject} breaks its contract: ${fields.join('; ')}`);
      }
    }
    return answer;
  }
}
