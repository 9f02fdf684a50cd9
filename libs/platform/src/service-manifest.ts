import { ServiceName } from '@shelfwatch/config';
import { EventType } from '@shelfwatch/contracts';

/** What a service declares about its place on the wire; read by the service and by `npm run provision`. */
export interface ServiceManifest {
  service: ServiceName;
  /** Event types the service consumes; one durable consumer is declared per stream they come from. */
  handles: EventType[];
}
